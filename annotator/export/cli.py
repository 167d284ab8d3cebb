"""`annotator export`: labeled data from the database to a file or stdout."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click
from flask.cli import with_appcontext

from annotator.export.filters import FORMATS, FilterError, parse_filters
from annotator.export.service import build_export
from annotator.extensions import db
from annotator.projects import ensure_default_project, project_by_slug


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
