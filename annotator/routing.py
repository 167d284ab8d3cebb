"""Ids in URLs: an `<int:...>` id the database cannot hold (PostgreSQL's integer ends at
2^31 - 1, SQLite's at 2^63 - 1) is the same 404 as any missing id, never a database error.

Checked on the matched URL's values rather than in the converter: a converter that refuses
a value makes Werkzeug answer 405 for the route's other methods.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from flask import Flask, current_app, request
from werkzeug.exceptions import NotFound

POSTGRESQL_LARGEST = 2**31 - 1
SQLITE_LARGEST = 2**63 - 1
#: The last page number a list's `?page=` may ask for: a page past a list's end shows an
#: empty page, and a larger number would overflow the database's OFFSET (page × page size).
LAST_PAGE = 1_000_000


def largest_id(database_uri: str) -> int:
    return SQLITE_LARGEST if database_uri.startswith("sqlite") else POSTGRESQL_LARGEST


def init_app(app: Flask) -> None:
    app.config["LARGEST_ID"] = largest_id(app.config["SQLALCHEMY_DATABASE_URI"])
    app.url_value_preprocessor(_ids_in_range)


def _ids_in_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if any(isinstance(v, int) and not storable_id(v) for v in (values or {}).values()):
        raise NotFound("There is no such object in the projects you work on.")


def storable_id(value: int) -> bool:
    """Whether an id could be in the database at all."""
    limit: int = current_app.config["LARGEST_ID"]
    return -limit - 1 <= value <= limit


def page_number() -> int:
    """The `?page=` of a paged list: 1 when missing, not a number or below 1; LAST_PAGE at
    most."""
    return min(max(request.args.get("page", 1, type=int) or 1, 1), LAST_PAGE)


class Paged(NamedTuple):
    """One page of a list: its rows, the list's size, the page shown and how many there are."""

    rows: Sequence[Any]
    total: int
    page: int
    pages: int


def paged(fetch: Callable[[int], tuple[Sequence[Any], int]], per_page: int) -> Paged:
    """The page `?page=` asks for, read by `fetch(page)` (rows, total); a page past the end
    of a list that has rows is its last page, not an empty one that reads as an empty list."""
    page = page_number()
    rows, total = fetch(page)
    pages = max((total + per_page - 1) // per_page, 1)
    if page > pages:
        page = pages
        rows, total = fetch(page)
    return Paged(rows, total, page, pages)
