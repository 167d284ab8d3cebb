"""The last active admin stays, even when two admins remove each other at the same moment:
both requests reach different processes of a real multi-process server together."""

from __future__ import annotations

import urllib.error
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from annotator.extensions import db
from annotator.models import AuditLog, Role, User
from tests.conftest import add_user
from tests.test_concurrency import Browser, at_once, server  # noqa: F401  (the server fixture)

ROUNDS = 6


def submit(browser: Browser, path: str, data: dict[str, str]) -> tuple[int, Any]:
    """Post an admin form as the browser does; the redirect that follows may be a 403 page."""
    body = urllib.parse.urlencode({"csrf_token": browser.csrf, **data}).encode()
    try:
        with browser.opener.open(f"{browser.url}{path}", data=body, timeout=60) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        with error:
            return error.code, None


def removes(browser: Browser, path: str, data: dict[str, str]) -> Callable[[], tuple[int, Any]]:
    return lambda: submit(browser, path, data)


def reset_admins(app: Flask, ids: list[int]) -> None:
    with app.app_context():
        values = {"role": Role.ADMIN.value, "active": True}
        db.session.execute(update(User).where(User.id.in_(ids)).values(values))
        db.session.commit()


def active_admins(app: Flask) -> int:
    with app.app_context():
        query = select(func.count()).where(User.role == Role.ADMIN.value, User.active.is_(True))
        return db.session.scalar(query) or 0


@pytest.mark.parametrize(
    ("path", "data"),
    [("/admin/users/{id}/role", {"role": "annotator"}), ("/admin/users/{id}/deactivate", {})],
    ids=["demote", "deactivate"],
)
def test_two_admins_removing_each_other_at_once_leave_one(
    app: Flask,
    server: str,  # noqa: F811
    path: str,
    data: dict[str, str],
) -> None:
    ids = [add_user(app, "ada", "admin"), add_user(app, "max", "admin")]
    for _ in range(ROUNDS):
        reset_admins(app, ids)
        ada, max_ = Browser(server, "ada"), Browser(server, "max")
        at_once(
            [
                removes(ada, path.format(id=ids[1]), data),
                removes(max_, path.format(id=ids[0]), data),
            ]
        )
        assert active_admins(app) == 1
    with app.app_context():
        audited = db.session.scalar(select(func.count()).select_from(AuditLog))
    assert audited == ROUNDS  # one change per round, the refused one leaves no entry
