"""`annotator token create USER --scope ...`: a token for a script, printed once."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from annotator.accounts import find_user
from annotator.extensions import db
from annotator.models import utcnow
from annotator.tokens.service import SCOPES, TokenError, create_token


@click.group("token", help="Manage API tokens.")
def token_group() -> None:
    pass


@token_group.command("create")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What uses the token.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(SCOPES),
    help="What the token may do; repeat for several. Every scope includes reading.",
)
@click.option("--expires-days", type=click.IntRange(min=1), default=None, help="Default: never.")
@with_appcontext
def token_create(
    username: str, name: str, scopes: tuple[str, ...], expires_days: int | None
) -> None:
    """Create an API token for USERNAME and print it once."""
    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
    try:
        token, clear = create_token(db.session, user, name, scopes, expires_at)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(
        f"Token {token.name!r} ({token.scopes}) for {user.username!r} (shown once):", err=True
    )
    click.echo(clear)
