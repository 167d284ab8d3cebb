"""The `annotator` commands through Flask: database, users, import and a production server.

The console script enters by annotator.cli, which answers the fresh-start commands without
Flask when it can (annotator.quickstart) and comes here for everything else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from annotator import database, engines
from annotator.accounts import AccountError, create_user, find_user, generate_password, set_password
from annotator.audit import record, user_state
from annotator.extensions import db
from annotator.models import DbSession, Project, Role
from annotator.projects import ensure_default_project
from annotator.quickstart import server_url
from annotator.snapshot import revision as snapshot_revision

#: Commands that answer no request: their app is built without pages and API (faster start).
_WITHOUT_VIEWS = {"db", "user", "import", "serve"}


class _Commands(FlaskGroup):
    """Flask's command group; a database that cannot be used is one line, not a traceback."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        ctx.ensure_object(ScriptInfo).data["views"] = name not in _WITHOUT_VIEWS
        return super().get_command(ctx, name)

    def _load_plugin_commands(self) -> None:
        """Other packages' `flask` commands (Flask-Limiter's imports rich) are not ours."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SQLAlchemyError as exc:
            url = ctx.ensure_object(ScriptInfo).load_app().config["SQLALCHEMY_DATABASE_URI"]
            raise click.ClickException(engines.problem(exc, url)) from None


def cli() -> FlaskGroup:
    """The command group, with the app's own version (not Flask's) for --version."""
    from annotator import create_app

    def app_for_command() -> Flask:
        context = click.get_current_context(silent=True)
        info = context.find_object(ScriptInfo) if context is not None else None
        return create_app(views=info.data.get("views", True) if info is not None else True)

    group = _Commands(
        create_app=app_for_command,
        add_version_option=False,
        help="annotator: annotate news articles, export JSONL.",
    )
    version = click.version_option(package_name="annotator", message="%(prog)s %(version)s")
    return version(group)  # type: ignore[no-any-return]


def register_commands(app: Flask, views: bool = True) -> None:
    """Add the commands to the app; an app built without views (see _WITHOUT_VIEWS) gets
    only those, and the user group loads its other commands when one is asked for."""
    from annotator.backup import backup_command, restore_command
    from annotator.pipelines.cli import worker_command

    db_group.add_command(backup_command)
    db_group.add_command(restore_command)
    for command in (db_group, user_group, import_command, worker_command, serve_command):
        app.cli.add_command(command)
    if views:
        from annotator.export.cli import export_command
        from annotator.quality.cli import agreement_command

        app.cli.add_command(export_command)
        app.cli.add_command(agreement_command)


class _UserCommands(click.Group):
    """The user group: its account commands (annotator.admin.cli) are imported only when
    named or listed, as they bring in the admin pages; ensure-admin does without them."""

    def _load(self) -> None:
        from annotator.admin.cli import COMMANDS

        for command in COMMANDS:
            self.add_command(command)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            self._load()
            found = super().get_command(ctx, cmd_name)
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load()
        return super().list_commands(ctx)


# --- database ---------------------------------------------------------------------------


@click.group("db", help="Create and upgrade the database schema.")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest), then ensure a default project."""
    database.upgrade(revision)
    project = ensure_default_project(db.session)
    db.session.commit()
    click.echo(f"Database at {database.current_revision()}; default project: {project.slug}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    database.downgrade(revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not compare the models with the database.")
@with_appcontext
def db_revision(message: str, empty: bool) -> None:
    """Write a new migration, autogenerated from the models (for developers)."""
    database.new_revision(message, autogenerate=not empty)


@db_group.command("snapshot")
@click.option("--check", is_flag=True, help="Only say whether the shipped snapshot is current.")
@with_appcontext
def db_snapshot(check: bool) -> None:
    """Write the SQLite schema snapshot that `db upgrade` loads into an empty SQLite database,
    from the migrations (for developers: run it after adding a migration)."""
    from annotator.snapshot import SNAPSHOT, canonical

    text = database.snapshot_text()
    shipped = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.is_file() else ""
    if canonical(shipped) == canonical(text):
        click.echo(f"{SNAPSHOT} is current.")
        return
    if check:
        raise click.ClickException(f"{SNAPSHOT} is out of date: run `annotator db snapshot`.")
    SNAPSHOT.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {SNAPSHOT} at revision {snapshot_revision(text)}.")


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    click.echo(database.current_revision() or "empty database")


# --- users ------------------------------------------------------------------------------


@click.group("user", cls=_UserCommands, help="Manage user accounts.")
def user_group() -> None:
    pass


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ANNOTATOR.value)
@click.option("--generate", is_flag=True, help="Generate a password and print it once.")
@with_appcontext
def user_create(username: str, role: str, generate: bool) -> None:
    """Create a user; the password is prompted for, or generated with --generate."""
    password = generate_password() if generate else _prompt_password(username)
    try:
        user = create_user(db.session, username, password, role, _hash_method())
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    record(db.session, None, "user.create", ("user", user.id), None, user_state(user))
    db.session.commit()
    click.echo(f"Created {user.role} {user.username!r}.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@user_group.command("set-password")
@click.argument("username")
@click.option("--generate", is_flag=True, help="Generate a password and print it once.")
@with_appcontext
def user_set_password(username: str, generate: bool) -> None:
    """Set a user's password."""
    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    password = generate_password() if generate else _prompt_password(user.username)
    before = user_state(user)
    set_password(user, password, _hash_method())
    record(db.session, None, "user.set_password", ("user", user.id), before, user_state(user))
    db.session.commit()
    click.echo(f"Password of {user.username!r} changed.")
    if generate:
        click.echo(f"Password (shown once): {password}")


@user_group.command("ensure-admin")
@click.option("--username", default="admin", show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Where `serve` listens.")
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def user_ensure_admin(username: str, host: str, port: int) -> None:
    """Create an admin with a generated password unless one exists; say how to log in."""
    url = f"{server_url(host, port)}/login"
    existing = find_user(db.session, username)
    if existing is not None:
        click.echo(f"Log in at {url} as {existing.username!r} (password printed when created;")
        click.echo(
            f"  to set a new one: annotator user set-password {existing.username} --generate)"
        )
        return
    password = generate_password()
    user = create_user(db.session, username, password, Role.ADMIN.value, _hash_method())
    record(db.session, None, "user.create", ("user", user.id), None, user_state(user))
    db.session.commit()
    click.echo(f"Created admin {username!r}. Log in at {url}")
    click.echo(f"  username: {username}\n  password: {password}   (shown once)")


def _prompt_password(username: str) -> str:
    """A typed password, held to the rule the web forms apply."""
    from annotator.profile.passwords import password_problem  # imports the profile pages

    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.ClickException(f"{problem} Nothing was changed.")
    return password


def _hash_method() -> str:
    method: str = current_app.config["PASSWORD_HASH_METHOD"]
    return method


# --- import -----------------------------------------------------------------------------


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--project", "slug", default=None, help="Project slug (default: the first project).")
@click.option(
    "--as-annotator",
    default=None,
    help="Store annotations from doccano/spaCy files (or gold records) as this user.",
)
@click.option(
    "--as-predictions",
    "predictions",
    default=None,
    metavar="NAME",
    help="Store the annotation files' entities and sentiments as suggestions "
    "(source import:NAME) for everyone, not as anyone's annotations.",
)
@with_appcontext
def import_command(
    paths: tuple[Path, ...], slug: str | None, as_annotator: str | None, predictions: str | None
) -> None:
    """Import articles (text, JSONL, saved web pages) and annotations (native, doccano, spaCy).
    All or nothing."""
    from annotator.importing import run_import

    done = run_import(db.session, paths, slug, as_annotator, predictions)
    if done.needs_suggestions:
        queue_suggestions(db.session, done.project)


def queue_suggestions(session: DbSession, project: Project) -> None:
    """New articles in a project with a pipeline get its suggestions from the worker."""
    from annotator.pipelines.jobs import Reason, run_soon

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job, problem = run_soon(app, session, project, Reason.IMPORT, None)
    if job is not None:
        click.echo(problem or f"Queued model suggestions for the new articles (job {job.id}).")


# --- serve ------------------------------------------------------------------------------


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes; default one per CPU core, at least 2.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    help="Threads per process; default 4 per CPU core, at least 8.",
)
@click.option(
    "--timeout",
    default=120,
    show_default=True,
    type=int,
    help="Seconds before a worker that stopped responding as a whole is restarted.",
)
@click.option(
    "--background-worker/--no-background-worker",
    default=True,
    show_default=True,
    help="Also run `annotator worker` as a child process that stops with the server.",
)
@with_appcontext
def serve_command(
    host: str,
    port: int,
    workers: int | None,
    threads: int | None,
    timeout: int,
    background_worker: bool,
) -> None:
    """Serve the application with gunicorn (threaded workers), once the schema is current;
    with the background worker beside it unless --no-background-worker."""
    from annotator.server import serve

    current = database.is_current()
    db.engine.dispose()  # the workers open their own connections
    if not current:
        raise click.ClickException(
            "The database schema is missing or out of date: run `annotator db upgrade` first."
        )
    click.echo(f"Serving on {server_url(host, port)}", err=True)
    serve(
        host=host,
        port=port,
        workers=workers,
        timeout=timeout,
        threads=threads,
        with_worker=background_worker,
    )
