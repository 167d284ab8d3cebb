"""`annotator import`: articles and annotation files into a project, all or nothing.

The work of the command, on a plain SQLAlchemy session: the Flask command (annotator.commands)
and the command's Flask-free entrance (annotator.standalone) both run it, so both import the
same rows and print the same lines. Queueing model suggestions for new articles needs the
app's task queue, so run_import leaves that to its caller (ImportRun.needs_suggestions).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from annotator.models import DbSession, Project
from annotator.projects import ensure_default_project, project_by_slug


@dataclass
class ImportRun:
    """What a finished import leaves its caller: the project, and whether it gained articles
    that its pipeline (if it has one) should now suggest for."""

    project: Project
    added_articles: int

    @property
    def needs_suggestions(self) -> bool:
        from annotator.pipelines.jobs import pipeline_setting

        return self.added_articles > 0 and bool(pipeline_setting(self.project))


def run_import(
    session: DbSession,
    paths: tuple[Path, ...],
    slug: str | None,
    as_annotator: str | None,
    predictions: str | None,
) -> ImportRun:
    """Import the paths' articles and annotations in one transaction, then say what was
    imported; click.ClickException (nothing imported) for a problem."""
    from annotator.annotations.files import import_annotation_files
    from annotator.formats.registry import is_annotation_file
    from annotator.ingest import IngestError, expand_paths, store_articles
    from annotator.loading import bulk_load
    from annotator.repeats import learned_lines

    project = project_by_slug(session, slug) if slug else ensure_default_project(session)
    if project is None:
        raise click.ClickException(f"No project with slug {slug!r}.")
    source = _prediction_source(predictions, as_annotator)
    try:
        files = expand_paths(paths)
        annotation_files = [f for f in files if is_annotation_file(f)]
        article_files = [f for f in files if f not in annotation_files]
        with bulk_load():
            summary = store_articles(session, project, _parse_all(article_files))
            said = _import_predictions(session, project, annotation_files, source) if source else []
            annotation_files = [] if source else annotation_files
            report = import_annotation_files(session, project, annotation_files, as_annotator)
    except IngestError as exc:
        session.rollback()
        raise click.ClickException(f"{exc} (nothing was imported)") from None
    session.commit()
    for line in said:
        click.echo(line)
    if article_files:
        click.echo(
            f"Imported {summary.added} article(s) into {project.slug!r}: {summary.paragraphs} "
            f"paragraphs, {summary.boilerplate} marked as boilerplate; "
            f"{summary.duplicates} already present."
        )
        for line in learned_lines(summary.learned):
            click.echo(line)
    if annotation_files:
        click.echo(
            f"Imported {report.annotations} annotation(s) in {report.records} paragraph "
            f"record(s) for {', '.join(sorted(report.annotators)) or 'nobody'}."
        )
        for where, why in report.skipped:
            click.echo(f"Skipped {where}: {why}.")
        if report.predictions:
            click.echo(
                f"Kept apart {report.predictions} model prediction record(s): not imported "
                "as anyone's annotations."
            )
    return ImportRun(project, summary.added)


def _prediction_source(name: str | None, as_annotator: str | None) -> str | None:
    from annotator.suggestions.predictions import prediction_source

    if name is None:
        return None
    if as_annotator is not None:
        raise click.UsageError("--as-predictions and --as-annotator exclude each other.")
    try:
        return prediction_source(name)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _import_predictions(
    session: DbSession, project: Project, files: list[Path], source: str
) -> list[str]:
    """Every file's records as suggestions; an IngestError (file, line) leaves nothing.
    Returns what to tell the user once it is committed."""
    from annotator.formats.registry import parse_annotations
    from annotator.ingest import IngestError
    from annotator.suggestions.predictions import import_predictions

    if not files:
        raise IngestError("--as-predictions", None, "no annotation file among the paths")
    said = []
    for path in files:
        parsed = parse_annotations(str(path), path.read_bytes())
        report = import_predictions(session, project, str(path), parsed.drafts, source)
        said.append(
            f"{path}: {report.suggestions} suggestion(s) ({source}) in {report.paragraphs} "
            f"paragraph(s); {report.left_out} claim(s) and entity sentiment(s) left out."
        )
        said += [f"Skipped {path}, line {line}: {why}." for line, why in parsed.skipped]
    return said


def _parse_all(files: list[Path]) -> Iterator[Any]:
    """Every file's articles as they are read (JSONL a line at a time), with a progress bar
    when there are many files. A bad record stops the import where it is read."""
    from annotator.ingest import stream_named_file

    if len(files) <= 5:
        for path in files:
            yield from stream_named_file(path)
        return
    with click.progressbar(files, label="Reading articles", file=sys.stderr) as bar:
        for path in bar:
            yield from stream_named_file(path)
