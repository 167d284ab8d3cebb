"""API tokens for scripts: the profile page that manages them and Bearer authentication."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Request, g, request
from flask_login import current_user

from annotator.errors import json_error
from annotator.extensions import db, login_manager
from annotator.models import User

bp = Blueprint("tokens", __name__)


def init_app(app: Flask) -> None:
    """Register Bearer authentication and the token pages."""
    login_manager.request_loader(_load_user_from_bearer)
    app.register_blueprint(bp)
    from annotator.tokens import cli

    app.cli.add_command(cli.token_group)


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _load_user_from_bearer(req: Request) -> User | None:
    """Flask-Login asks this when the session has no user; last use is committed at once
    because a streamed export has no later commit point."""
    from annotator.tokens.service import user_for_token

    clear = bearer_token(req)
    if clear is None:
        return None
    user = user_for_token(db.session, clear)
    if user is not None:
        db.session.commit()
        g.authenticated_by_token = True
    return user


def login_or_token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Like login_required, but a script with a bad token gets 401 JSON, not a login page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            return view(*args, **kwargs)
        if bearer_token(request) is not None:
            return json_error(401, "invalid_token", "The API token is unknown or revoked.")
        return login_manager.unauthorized()

    return wrapped


from annotator.tokens import views  # noqa: E402,F401  (routes attach to bp)
