"""Error pages: HTML for people, JSON ({"error": {"code", "message", "field"}}) for programs.

Whether an answer is JSON is decided here only (wants_json), never by sniffing a path in a
view: the API blueprint and views marked with answers_json speak JSON, and so does every
request a script authenticated with a token, or whose client prefers JSON over HTML.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, jsonify, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from annotator.access import NotAllowed, NotVisible
from annotator.engines import is_contention
from annotator.extensions import db

log = logging.getLogger(__name__)

TEMPLATED = {403, 404, 500}
#: What a request that waited too long for a lock is told, and when to try again (seconds).
BUSY_MESSAGE = (
    "The database is busy with other work (an import or an admin's change, perhaps): "
    "nothing was saved. Please try again in a moment."
)
BUSY_RETRY_AFTER = 1
JSON_MARK = "answers_json"
Marked = TypeVar("Marked")


def answers_json(target: Marked) -> Marked:
    """Mark a view, or a whole blueprint, whose every answer is JSON, errors included."""
    setattr(target, JSON_MARK, True)
    return target


def wants_json() -> bool:
    """JSON for the API and marked views, for token scripts, and for clients that ask for it."""
    if g.get("authenticated_by_token") or _marked_json():
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _marked_json() -> bool:
    if request.url_rule is None:  # no route matched: the blueprint whose prefix it is under
        return any(
            getattr(bp, JSON_MARK, False) and request.path.startswith(f"{bp.url_prefix}/")
            for bp in current_app.blueprints.values()
        )
    view = current_app.view_functions.get(request.endpoint or "")
    blueprint = current_app.blueprints.get(request.blueprint or "")
    return getattr(view, JSON_MARK, False) or getattr(blueprint, JSON_MARK, False)


def json_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def error_response(
    status: int, code: str, message: str, field: str | None = None, title: str | None = None
) -> Response | tuple[str, int]:
    """The one way an error is answered: JSON for programs, the error page for people."""
    if wants_json():
        return json_error(status, code, message, field)
    template = f"errors/{status}.html" if status in TEMPLATED else "errors/error.html"
    page = render_template(template, code=status, title=title or code, message=message)
    return page, status


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(StaleDataError, _handle_stale)
    app.register_error_handler(NotVisible, _handle_not_visible)
    app.register_error_handler(NotAllowed, _handle_not_allowed)
    app.register_error_handler(DBAPIError, _handle_database_error)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)


def _handle_csrf(error: CSRFError) -> Response | tuple[str, int]:
    db.session.rollback()
    if request.blueprint == "api" and not current_user.is_authenticated:
        # Neither a session nor a token: the API's 401, as its GETs answer. The CSRF check
        # runs first, and said "400 csrf" to a script that had only forgotten its token.
        return json_error(401, "unauthorized", "Log in to use the API.")
    message = "The form's security token is missing or expired. Reload the page and try again."
    return error_response(400, "csrf", message, title="Bad request")


def _handle_stale(error: StaleDataError) -> Response | tuple[str, int]:
    """Two writes to the same annotation at the same moment: the later one is refused."""
    db.session.rollback()
    message = "Someone changed this at the same moment. Nothing was saved; reload and try again."
    return error_response(409, "conflict", message, title="Conflict")


def _handle_not_visible(error: NotVisible) -> Response | tuple[str, int]:
    """Missing or someone else's: one 404, the same for both, so nothing can be probed."""
    db.session.rollback()
    return error_response(404, "not_found", error.message, title="Not Found")


def _handle_not_allowed(error: NotAllowed) -> Response | tuple[str, int]:
    """Visible, but this role may not do it (an annotator in the review view): 403."""
    db.session.rollback()
    return error_response(403, "forbidden", error.message, title="Forbidden")


def _handle_http(error: HTTPException) -> Response | tuple[str, int]:
    db.session.rollback()
    code = error.code or 500
    if isinstance(error, RequestEntityTooLarge):
        _drain_body(request.environ)
        if error.description == _DEFAULT_413:
            error.description = _too_large_message()
    name = (error.name or "error").lower().replace(" ", "_")
    return error_response(code, name, error.description or error.name, title=error.name)


_DEFAULT_413 = RequestEntityTooLarge.description
#: The largest refused body read to its end, so that its connection can carry the next
#: request: gunicorn reads at most 64 KB of a body the app left, and past that closes the
#: connection it has just answered "keep-alive" on. The page's next save on it then failed
#: (a 70 KB save refused, then nothing). A larger refused body still closes it.
DRAIN_BYTES = 1024 * 1024


def _drain_body(environ: dict[str, Any]) -> None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if not 0 < length <= DRAIN_BYTES:
        return
    stream = environ["wsgi.input"]
    try:
        while length > 0 and (chunk := stream.read(min(length, 65536))):
            length -= len(chunk)
    except OSError:  # the client went away: nothing left to keep open
        return


def _too_large_message() -> str:
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
    size = f"{limit / 1_048_576:g} MB" if limit >= 1_048_576 else f"{limit / 1024:g} KB"
    return (
        f"The request is larger than the {size} this server accepts. "
        "Nothing was saved; split the upload into smaller files."
    )


def _handle_database_error(error: DBAPIError) -> Response | tuple[str, int]:
    """A wait for a lock that ran out is contention, not a fault: 503 and when to retry
    (the workspace's save queue retries every 5xx). Any other database error is a 500."""
    if not is_contention(error):
        return _handle_unexpected(error)
    db.session.rollback()
    log.warning("database busy on %s %s: %s", request.method, request.path, error.orig)
    response = make_response(error_response(503, "busy", BUSY_MESSAGE, title="Busy"))
    response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def _handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _handle_http(InternalServerError())
