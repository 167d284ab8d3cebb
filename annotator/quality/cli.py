"""`annotator agreement`: the project's agreement figures as JSON or as a CSV table.

The one module of the package that touches Flask (the app context of a command).
"""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from annotator.extensions import db
from annotator.projects import project_by_slug
from annotator.quality import project_agreement
from annotator.quality.table import report_csv


@click.command("agreement")
@click.option("--project", "slug", required=True, help="Project slug.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@with_appcontext
def agreement_command(slug: str, fmt: str) -> None:
    """Print inter-annotator agreement: per layer, annotator pair, label and article."""
    project = project_by_slug(db.session, slug)
    if project is None:
        raise click.ClickException(f"No project with slug {slug!r}.")
    report = project_agreement(db.session, project)
    if fmt == "csv":
        click.echo(report_csv(report), nl=False)
    else:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
