"""Error pages: HTML for people, JSON ({"error": {"code", "message", "field"}}) under /api."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from annotator.extensions import db

log = logging.getLogger(__name__)

TEMPLATED = {403, 404, 500}


def wants_json() -> bool:
    """API paths, and clients that ask for JSON over HTML, get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def json_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "field": field}})
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(StaleDataError, _handle_stale)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)


def _handle_csrf(error: CSRFError) -> Response | tuple[str, int]:
    db.session.rollback()
    message = "The form's security token is missing or expired. Reload the page and try again."
    if wants_json():
        return json_error(400, "csrf", message)
    return render_template("errors/error.html", code=400, title="Bad request", message=message), 400


def _handle_stale(error: StaleDataError) -> Response | tuple[str, int]:
    """Two writes to the same annotation at the same moment: the later one is refused."""
    db.session.rollback()
    message = "Someone changed this at the same moment. Nothing was saved; reload and try again."
    if wants_json():
        return json_error(409, "conflict", message)
    return render_template("errors/error.html", code=409, title="Conflict", message=message), 409


def _handle_http(error: HTTPException) -> Response | tuple[str, int]:
    db.session.rollback()
    code = error.code or 500
    if isinstance(error, RequestEntityTooLarge) and error.description == _DEFAULT_413:
        error.description = _too_large_message()
    if wants_json():
        name = (error.name or "error").lower().replace(" ", "_")
        return json_error(code, name, error.description or error.name)
    template = f"errors/{code}.html" if code in TEMPLATED else "errors/error.html"
    return render_template(template, code=code, title=error.name, message=error.description), code


_DEFAULT_413 = RequestEntityTooLarge.description


def _too_large_message() -> str:
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
    size = f"{limit / 1_048_576:g} MB" if limit >= 1_048_576 else f"{limit / 1024:g} KB"
    return (
        f"The request is larger than the {size} this server accepts. "
        "Nothing was saved; split the upload into smaller files."
    )


def _handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _handle_http(InternalServerError())
