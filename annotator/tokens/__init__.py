"""API tokens for scripts: the profile page that manages them and Bearer authentication."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, Request, Response, g, request
from flask_login import current_user

from annotator.errors import json_error
from annotator.extensions import db, login_manager
from annotator.models import User

bp = Blueprint("tokens", __name__)
log = logging.getLogger(__name__)

#: Account pages a token never reaches: a token must not make tokens or change a password.
ACCOUNT_BLUEPRINTS = {"tokens", "profile"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def init_auth(app: Flask) -> None:
    """Bearer authentication; registered before the CSRF check, so a bad token is 401 on
    every method rather than a CSRF failure."""
    login_manager.request_loader(_load_user_from_bearer)
    app.before_request(_authenticate_bearer)


def init_app(app: Flask) -> None:
    """Register the token pages and commands. The pages are imported here, not with the
    package: an app without views still authenticates Bearer tokens (init_auth)."""
    from annotator.tokens import cli, views  # noqa: F401  (views' routes attach to bp)

    app.register_blueprint(bp)

    app.cli.add_command(cli.token_group)


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def required_scope(req: Request) -> str | None:
    """The scope this request needs; None where no token may go."""
    if req.blueprint in ACCOUNT_BLUEPRINTS:
        return None
    if req.blueprint == "admin":
        return "admin"
    if req.blueprint == "export":
        return "export"
    return "annotate" if req.method in UNSAFE_METHODS else "read"


def _authenticate_bearer() -> Response | None:
    """A request that carries a token is answered 401 unless the token is live, 403 unless it
    grants what the request needs. Last use is committed here because a streamed export has
    no later commit point."""
    from annotator.auth.events import record
    from annotator.tokens.service import grants, live_token, record_use

    clear = bearer_token(request)
    if clear is None:
        return None
    token = live_token(db.session, clear)
    if token is None:
        record("token.refused", "", prefix=clear[:8])
        return json_error(401, "invalid_token", "The API token is unknown, revoked or expired.")
    scope = required_scope(request)
    if scope is None or not grants(token, scope):
        record("token.out_of_scope", token.user.username, token=token.prefix, needed=scope)
        needed = f"the {scope} scope" if scope else "a login"
        return json_error(403, "insufficient_scope", f"This request needs {needed}.")
    if record_use(db.session, token):  # at most once a minute per token: so is the log line
        db.session.commit()
        record("token.use", token.user.username, token=token.prefix)
    g.api_token_user = token.user
    return None


def _load_user_from_bearer(req: Request) -> User | None:
    """Flask-Login asks this when the session has no user: the owner of the token checked
    by _authenticate_bearer, if any."""
    user: User | None = g.get("api_token_user")
    if user is not None:
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
