"""Precision and recall of the boilerplate flag on the labeled set, per house style.

The set lives in tests/data/boilerplate/: article files in the importer's formats, and
labels.jsonl, one line per file: {"file", "style", "source", "boilerplate": [0/1 per paragraph]}.
Every file goes through the real import path (parse_named_file, then store_articles into one
project), so corpus learning counts as it does for a user's import.

Usage: python -m bench.boilerplate_quality [--mistakes] [--rules-only]
(a fresh SQLite database in a temporary folder)
tests/test_boilerplate_quality.py asserts the totals.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from annotator.ingest import parse_named_file, store_articles
from annotator.models import Article, DbSession, Paragraph, Project
from annotator.repeats import SETTING

Result = TypeVar("Result")
LABELED_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "boilerplate"


@dataclass(frozen=True)
class Labeled:
    """One labeled article: where it is, its house style, its expected source and flags."""

    file: str
    style: str
    source: str | None
    expected: tuple[bool, ...]


@dataclass
class Score:
    """Counts of the boilerplate flag against the labels; boilerplate is the positive class."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    paragraphs: int = 0

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    def add(self, got: bool, want: bool) -> None:
        self.paragraphs += 1
        self.true_positives += got and want
        self.false_positives += got and not want
        self.false_negatives += want and not got


@dataclass
class Outcome:
    """What the import stored for the labeled set, scored."""

    total: Score
    by_style: dict[str, Score]
    #: (file, paragraph position, "missed" | "wrongly flagged", text)
    mistakes: list[tuple[str, int, str, str]]
    #: (file, expected source, stored source) where they differ
    wrong_sources: list[tuple[str, str | None, str | None]]


def load_labels(folder: Path = LABELED_SET) -> list[Labeled]:
    lines = (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return [_labeled(json.loads(line)) for line in lines if line.strip()]


def _labeled(record: dict[str, object]) -> Labeled:
    flags = record["boilerplate"]
    assert isinstance(flags, list)
    source = record.get("source")
    return Labeled(
        file=str(record["file"]),
        style=str(record["style"]),
        source=source if isinstance(source, str) else None,
        expected=tuple(bool(flag) for flag in flags),
    )


def import_and_score(
    session: DbSession, project: Project, labeled: list[Labeled], folder: Path = LABELED_SET
) -> Outcome:
    """Import every labeled file into ``project`` in one import, then score what was stored."""
    drafts = []
    for item in labeled:
        path = folder / item.file
        drafts += parse_named_file(str(path), path.read_bytes())
    article_ids = store_articles(session, project, drafts).article_ids
    assert len(article_ids) == len(labeled), "every labeled file is one new article"
    outcome = Outcome(Score(), defaultdict(Score), [], [])
    for item, article_id in zip(labeled, article_ids, strict=True):
        _score_article(session, item, article_id, outcome)
    return outcome


def _score_article(session: DbSession, item: Labeled, article_id: int, outcome: Outcome) -> None:
    rows = session.execute(
        select(Paragraph.text, Paragraph.is_boilerplate)
        .where(Paragraph.article_id == article_id)
        .order_by(Paragraph.position)
    ).all()
    assert len(rows) == len(item.expected), f"{item.file}: labels for every paragraph"
    for position, ((text, got), want) in enumerate(zip(rows, item.expected, strict=True)):
        outcome.total.add(got, want)
        outcome.by_style[item.style].add(got, want)
        if got != want:
            what = "wrongly flagged" if got else "missed"
            outcome.mistakes.append((item.file, position, what, text))
    source = session.scalar(select(Article.source).where(Article.id == article_id))
    if source != item.source:
        outcome.wrong_sources.append((item.file, item.source, source))


def report(outcome: Outcome) -> str:
    """A table of precision and recall per style, then the totals."""
    lines = [f"{'style':<18}{'paragraphs':>11}{'flagged':>9}{'precision':>11}{'recall':>8}"]
    for style, score in sorted(outcome.by_style.items()):
        lines.append(_row(style, score))
    lines.append(_row("all", outcome.total))
    lines.append(f"sources: {len(outcome.wrong_sources)} wrong")
    return "\n".join(lines)


def _row(name: str, score: Score) -> str:
    flagged = score.true_positives + score.false_positives
    return (
        f"{name:<18}{score.paragraphs:>11}{flagged:>9}{score.precision:>11.3f}{score.recall:>8.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.boilerplate_quality", description=__doc__
    )
    parser.add_argument("--mistakes", action="store_true", help="List each wrong paragraph.")
    parser.add_argument(
        "--rules-only", action="store_true", help="Turn corpus learning off (threshold 0)."
    )
    parser.add_argument(
        "--cost",
        type=int,
        metavar="ARTICLES",
        help="Instead, time imports of this many generated articles (batches of 200), with "
        "corpus learning on and off.",
    )
    args = parser.parse_args()
    if args.cost:
        for threshold in (0, 3):
            seconds = _in_fresh_database(partial(_import_cost, count=args.cost, n=threshold))
            print(f"import {args.cost} articles, threshold {threshold}: {seconds:.2f} s")
        return
    outcome = _in_fresh_database(partial(_score_labeled, rules_only=args.rules_only))
    print(report(outcome))
    if args.mistakes:
        for file, position, what, text in outcome.mistakes:
            print(f"{file} #{position} {what}: {text[:100]}")
        for file, expected, stored in outcome.wrong_sources:
            print(f"{file}: source {stored!r}, expected {expected!r}")


def _in_fresh_database(work: Callable[[DbSession, Project], Result]) -> Result:
    from annotator import create_app, database
    from annotator.extensions import db
    from annotator.projects import ensure_default_project

    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as folder:
        url = f"sqlite:///{folder}/boilerplate.db"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-" + "0" * 32})
        with app.app_context():
            database.upgrade()
            result = work(db.session, ensure_default_project(db.session))
            db.session.commit()
            db.engine.dispose()
    return result


def _score_labeled(session: DbSession, project: Project, rules_only: bool) -> Outcome:
    if rules_only:
        project.settings = {**project.settings, SETTING: 0}
    return import_and_score(session, project, load_labels())


def _import_cost(session: DbSession, project: Project, count: int, n: int) -> float:
    """Seconds to import ``count`` generated articles in batches of 200, each committed."""
    from bench.corpus import articles

    project.settings = {**project.settings, SETTING: n}
    session.commit()
    drafts = [draft for draft, _ in articles(count, 12)]
    started = time.perf_counter()
    for start in range(0, count, 200):
        store_articles(session, project, drafts[start : start + 200])
        session.commit()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
