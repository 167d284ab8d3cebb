"""`annotator token create USER`: a token for a script, printed once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from annotator.accounts import find_user
from annotator.extensions import db
from annotator.tokens.service import TokenError, create_token


@click.group("token", help="Manage API tokens.")
def token_group() -> None:
    pass


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What uses the token.")
@with_appcontext
def token_create(username: str, name: str) -> None:
    """Create an API token for USERNAME and print it once."""
    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    try:
        token, clear = create_token(db.session, user, name)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Token {token.name!r} for {user.username!r} (shown once):", err=True)
    click.echo(clear)
