"""Sessions, CSRF, login throttling and the security headers every response carries."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from annotator.auth import events, sessions
from annotator.extensions import csrf, db, login_manager
from annotator.models import User

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
#: Sent only when the TLS setting is on: a year, subdomains included.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, *, throttle: bool = True) -> None:
    """Login sessions, CSRF and headers; throttle=False (an app without its pages, which
    answers no login) leaves the login limiter out."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # _check_csrf decides, below
    csrf.init_app(app)
    if throttle:  # imported here: limits (0.06 s) is for apps that answer logins
        from annotator.auth.throttle import init_app as init_throttle

        init_throttle(app)
    events.init_app()
    app.before_request(_check_csrf)
    app.after_request(_security_headers)


def _check_csrf() -> None:
    """Every unsafe request needs the CSRF token, unless an API token authenticated it.

    A cross-site page cannot make a browser send an Authorization header, so a request that
    authenticated by its token alone (never by the session cookie) has nothing to forge.
    """
    if request.method in SAFE_METHODS or request.endpoint is None:
        return  # no endpoint: routing answers 404 or 405 first
    if current_user.is_authenticated and g.get("authenticated_by_token"):
        return
    csrf.protect()


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a live server-side login session (see annotator.auth.sessions)."""
    return sessions.load(db.session, session_id)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if _authenticated():
        response.headers["Cache-Control"] = "no-store"  # no shared or back-button copy
    return response


def _authenticated() -> bool:
    """Whether a logged-in user asked for a page or the API; static files may be cached."""
    if request.endpoint == "static":
        return False
    user = g.get("_login_user")
    # is_anonymous reads no column: after the request's commit, is_authenticated would
    # reload the user just to set a header.
    return user is not None and not user.is_anonymous
