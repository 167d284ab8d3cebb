"""Request bodies at the door: a chunked body over the limit is a 413, JSON too deep a 400.

Werkzeug reads a body that announces no Content-Length (Transfer-Encoding: chunked) only up
to the limit and then stops without a word, so a cut-off body would be parsed as if it were
whole. Such a body is read here first, before anything else touches it: over the limit it is
refused, within it it becomes an ordinary body with a Content-Length.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import LengthRequired, RequestEntityTooLarge

#: Chunked bodies up to this size stay in memory; larger ones spill to a temporary file.
SPOOL_IN_MEMORY = 512 * 1024
READ_SIZE = 64 * 1024
SPOOLED = "annotator.spooled_body"


class NestedTooDeeply(ValueError):
    """JSON nested deeper than the parser follows: the client's error, so a ValueError."""


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that nesting too deep is a ValueError (a 400), not a 500."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise NestedTooDeeply("the JSON is nested too deeply") from None


def init_app(app: Flask) -> None:
    """Call before anything that may read the body (the CSRF check) registers its hook.

    The API's json_body and Flask-WTF's request.get_json() both parse through app.json.
    """
    app.json = JSONProvider(app)
    app.before_request(_read_chunked_body)
    app.teardown_request(_close_spooled_body)


def _read_chunked_body() -> None:
    """A chunked body becomes an ordinary one with a Content-Length, so that the limits that
    follow (the API's smaller one included) see its true size; past MAX_CONTENT_LENGTH, 413."""
    environ = request.environ
    if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return
    if not environ.get("wsgi.input_terminated"):
        # The server left the chunks undecoded: Werkzeug would read nothing at all.
        raise LengthRequired("Send the body with a Content-Length header.")
    body, size = _spooled(environ["wsgi.input"], request.max_content_length)
    environ["wsgi.input"] = environ[SPOOLED] = body
    environ["CONTENT_LENGTH"] = str(size)
    del environ["HTTP_TRANSFER_ENCODING"]


def _close_spooled_body(error: BaseException | None) -> None:
    body = request.environ.pop(SPOOLED, None)
    if body is not None:
        body.close()


def _spooled(stream: IO[bytes], limit: int | None) -> tuple[IO[bytes], int]:
    """The whole body, read at most one byte past the limit: that byte makes it a 413."""
    # Not a with-block: the request reads the file after this returns.
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    while chunk := stream.read(READ_SIZE if limit is None else min(READ_SIZE, limit + 1 - size)):
        size += len(chunk)
        if limit is not None and size > limit:
            body.close()
            raise RequestEntityTooLarge()
        body.write(chunk)
    body.seek(0)
    return body, size
