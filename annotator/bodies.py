"""Request bodies at the door: JSON nested too deep is a 400, never a 500."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider


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
    """The API's json_body and Flask-WTF's request.get_json() both parse through here."""
    app.json = JSONProvider(app)
