"""The annotation files of `annotator import`: each read as it is stored, with a progress
bar for a long one.

Outside annotator.export so that an import does not load the export package, its views
and its formats' writers (a tenth of a second of the command's start).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from annotator.annotations.importer import ImportReport, import_annotations
from annotator.formats.drafts import RecordDraft
from annotator.formats.registry import stream_annotations
from annotator.ingest import IngestError
from annotator.models import DbSession, Project


def import_annotation_files(
    session: DbSession, project: Project, files: list[Path], as_annotator: str | None
) -> ImportReport:
    """Import each file's annotations as it is read, a batch at a time; an IngestError (file
    and line) means the caller must roll back, which leaves nothing of any file."""
    total = ImportReport()
    for path in files:
        skipped: list[tuple[int, str]] = []
        with path.open("rb") as handle:
            drafts = stream_annotations(str(path), handle, skipped)
            report = _import_with_progress(session, project, path, drafts, as_annotator)
        if not report.records and not report.predictions:
            rejected = f" ({len(skipped)} rejected or ignored)" if skipped else ""
            raise IngestError(str(path), None, f"no annotation records in the file{rejected}")
        total.records += report.records
        total.annotations += report.annotations
        total.annotators |= report.annotators
        total.predictions += report.predictions
        total.skipped += [(f"{path}, line {line}", why) for line, why in skipped]
    return total


#: Lines above which an import shows a progress bar (a second or more of work).
PROGRESS_FROM = 2000


def _import_with_progress(
    session: DbSession,
    project: Project,
    path: Path,
    drafts: Iterable[RecordDraft],
    as_annotator: str | None,
) -> ImportReport:
    """import_annotations, with a progress bar on stderr for a file that takes a while."""
    lines = _line_count(path)
    if lines < PROGRESS_FROM:
        return import_annotations(session, project, str(path), drafts, as_annotator)
    label = f"Importing {path.name}"
    with click.progressbar(length=lines, label=label, file=sys.stderr) as bar:

        def advance(records: int) -> None:  # a native article line holds several records
            bar.update(min(records, lines - bar.pos))

        return import_annotations(session, project, str(path), drafts, as_annotator, advance)


def _line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)
