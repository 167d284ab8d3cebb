"""Only annotator/annotations/writer/ writes annotations, their history, article status and
review status (the review row is the gold scope's lock).

A rule that lives in one place can only be kept if every write passes that place; this test
fails when new code constructs, inserts, updates or deletes those rows anywhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "annotator"
WRITER = PACKAGE / "annotations" / "writer"
TABLES = r"(Annotation|AnnotationEvent|ArticleStatus|ArticleReview)"
WRITES = [
    re.compile(rf"\b{TABLES}\("),  # a new row
    re.compile(rf"\b(insert|update|delete)\(\s*{TABLES}\b"),  # Core statements
    re.compile(rf"\b{TABLES}\.__table__\.(insert|update|delete)"),
    # a loaded annotation changed in place
    re.compile(r"\bannotation\w*\.(label|start|end|attributes|version|target_id)\s*=[^=]"),
]
ALLOWED = {PACKAGE / "models.py", *WRITER.glob("*.py")}


def _writes(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0]
        if any(pattern.search(code) for pattern in WRITES):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    return found


def test_no_code_outside_the_writer_writes_annotations_history_or_status() -> None:
    sources = [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]
    offending = [hit for path in sources if path not in ALLOWED for hit in _writes(path)]
    assert offending == []


def test_the_writer_is_where_those_writes_are() -> None:
    found = [hit for path in WRITER.glob("*.py") for hit in _writes(path)]
    assert found, "the patterns above no longer recognise a write"
