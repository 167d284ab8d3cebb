"""`annotator import` without Flask: the command's own work (annotator.importing) on a plain
SQLAlchemy session, set up as the app sets up its own (annotator.engines).

Loading Flask, its extensions and the app costs the command a third of a second before it
reads a line, which is a tenth of a large import's time and most of a small one's. The rows
written and the lines printed are the Flask command's (tests/test_standalone.py compares
them). What this entrance does not read as the Flask command would (--help, --as-predictions,
an option it does not know, a configuration quickstart cannot read) goes to the Flask
command instead: run() says False. New articles in a project with a model pipeline need the
app's task queue: the app is built then, after the import has been committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotator.quickstart import Unsure, command_options, read_settings

#: The options this entrance reads; anything else is the Flask command's.
VALUED = {"--project", "--as-annotator"}


def run(argv: list[str]) -> bool:
    """Run `import …` if this entrance can; False (nothing done, nothing printed) if not."""
    if argv[:1] != ["import"]:
        return False
    try:
        paths, options = command_options(argv[1:], set(), VALUED)
        if not paths:
            raise Unsure
        found = read_settings()
    except Unsure:
        return False
    try:
        _import(found, tuple(Path(p) for p in paths), options)
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    return True


def _import(found: dict[str, Any], paths: tuple[Path, ...], options: dict[str, str]) -> None:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from annotator.config import database_url
    from annotator.engines import create_engine, problem
    from annotator.importing import run_import

    url = database_url(found["DATABASE_URL"], found["INSTANCE_PATH"])
    engine = create_engine(url, found)
    try:
        with Session(engine) as session:
            done = run_import(
                session, paths, options.get("--project"), options.get("--as-annotator"), None
            )
            if done.needs_suggestions:
                _queue_suggestions(done.project.id)
    except SQLAlchemyError as exc:
        raise click.ClickException(problem(exc, url)) from None
    finally:
        engine.dispose()


def _queue_suggestions(project_id: int) -> None:
    """The Flask command's queueing of model suggestions, in the app it needs."""
    from annotator import create_app
    from annotator.commands import queue_suggestions
    from annotator.extensions import db
    from annotator.models import Project

    app = create_app(views=False)
    with app.app_context():
        project = db.session.get(Project, project_id)
        assert project is not None  # committed by the import
        queue_suggestions(db.session, project)
        db.session.remove()
        db.engine.dispose()
