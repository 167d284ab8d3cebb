"""`annotator export` and the annotation side of `annotator import`."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import click
from flask.cli import with_appcontext

from annotator.annotations.importer import ImportReport, import_annotations
from annotator.export.filters import FORMATS, FilterError, parse_filters
from annotator.export.service import build_export
from annotator.extensions import db
from annotator.formats.drafts import RecordDraft
from annotator.formats.registry import is_annotation_file, stream_annotations
from annotator.ingest import IngestError
from annotator.models import DbSession, Project
from annotator.projects import ensure_default_project, project_by_slug

__all__ = [
    "export_command",
    "import_annotation_files",
    "is_annotation_file",
]  # for annotator/commands.py


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


@click.command("export")
@click.option("--project", "slug", default=None, help="Project slug (default: the first project).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="native", show_default=True)
@click.option(
    "--by",
    type=click.Choice(["paragraph", "article"]),
    default="paragraph",
    show_default=True,
    help="Native format: one record per paragraph or per article.",
)
@click.option("--annotator", multiple=True, help="Only this annotator's work (repeatable).")
@click.option("--status", type=click.Choice(["all", "done"]), default="all", show_default=True)
@click.option("--layers", default="", help="Comma-separated: entity,claim,sentiment (default all).")
@click.option("--since", default="", help="Only annotations changed on or after this date.")
@click.option("--until", default="", help="Only annotations changed on or before this date.")
@click.option("--boilerplate", is_flag=True, help="Include boilerplate paragraphs.")
@click.option("--gold", is_flag=True, help="Gold (adjudicated) annotations only.")
@click.option(
    "--prefer",
    default="",
    help="gold: an adjudicated article's gold instead of each annotator's work.",
)
@click.option(
    "--majority",
    default="",
    metavar="K",
    help="One record per paragraph: what at least K annotators agree on.",
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write; - is stdout.")
@with_appcontext
def export_command(
    slug: str | None,
    fmt: str,
    by: str,
    annotator: tuple[str, ...],
    status: str,
    layers: str,
    since: str,
    until: str,
    boilerplate: bool,
    gold: bool,
    prefer: str,
    majority: str,
    output: str,
) -> None:
    """Export labeled data; streams from the database, with a progress bar for files."""
    project = project_by_slug(db.session, slug) if slug else ensure_default_project(db.session)
    if project is None:
        raise click.ClickException(f"No project with slug {slug!r}.")
    args: dict[str, Any] = {
        "format": fmt,
        "by": by,
        "annotator": list(annotator),
        "status": status,
        "layers": layers,
        "since": since,
        "until": until,
        "boilerplate": str(boilerplate),
        "gold": str(gold),
        "prefer": prefer,
        "majority": majority,
    }
    try:
        export = build_export(db.session, project, parse_filters(args))
    except FilterError as exc:
        raise click.UsageError(str(exc)) from None
    if output == "-":
        _write(export.chunks, sys.stdout.buffer)
        return
    with Path(output).open("wb") as handle:
        written = _write(_with_progress(export.chunks), handle)
    click.echo(f"Wrote {written} bytes to {output} ({export.format.title}).", err=True)


def _write(chunks: Iterator[bytes], handle: IO[bytes]) -> int:
    written = 0
    for chunk in chunks:
        handle.write(chunk)
        written += len(chunk)
    handle.flush()
    return written


def _with_progress(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A progress bar on stderr counting written records (chunks), never on stdout."""
    with click.progressbar(
        chunks, label="Exporting", file=sys.stderr, show_pos=True, item_show_func=lambda _: None
    ) as bar:
        yield from bar
