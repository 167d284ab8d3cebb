"""`annotator user list | set-role | activate | deactivate`: account recovery and changes
from the command line, through the services the admin pages use, audited with no actor."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from annotator.accounts import AccountError, find_user
from annotator.admin.users import change_role, set_active
from annotator.extensions import db
from annotator.models import Role, User


def _user(username: str) -> User:
    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


def _commit(change: str) -> None:
    db.session.commit()
    click.echo(change)


@click.command("list")
@with_appcontext
def user_list() -> None:
    """List every user with role, state and last login."""
    users = db.session.scalars(select(User).order_by(User.username_key))
    for user in users:
        state = "active" if user.active else "deactivated"
        last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never"
        click.echo(f"{user.username:<24} {user.role:<10} {state:<12} last login {last}")


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@with_appcontext
def user_set_role(username: str, role: str) -> None:
    """Give USERNAME another ROLE; the last active admin keeps theirs."""
    user = _user(username)
    try:
        change_role(db.session, None, user, role)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    _commit(f"{user.username!r} is now {user.role}.")


@click.command("activate")
@click.argument("username")
@with_appcontext
def user_activate(username: str) -> None:
    """Let a deactivated user log in again (their old sessions stay ended)."""
    user = _user(username)
    set_active(db.session, None, user, True)
    _commit(f"{user.username!r} is active.")


@click.command("deactivate")
@click.argument("username")
@with_appcontext
def user_deactivate(username: str) -> None:
    """Log USERNAME out everywhere and refuse their logins and tokens; their work stays."""
    user = _user(username)
    try:
        set_active(db.session, None, user, False)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    _commit(f"{user.username!r} is deactivated.")


COMMANDS = (user_list, user_set_role, user_activate, user_deactivate)
