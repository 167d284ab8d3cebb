"""The audit log records every admin action with who, what, when, before and after."""

from __future__ import annotations

from flask import Flask

from tests.admin_support import audit_actions, last_audit, post
from tests.conftest import Auth


def test_audit_page_lists_actions_newest_first_and_filters(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    post(auth.client, f"/admin/users/{users['bob']}/role", {"role": "reviewer"})
    post(auth.client, f"/admin/users/{users['bob']}/deactivate")
    assert audit_actions(app) == ["user.role", "user.deactivate"]
    entry = last_audit(app)
    assert entry.actor_id == users["admin"] and entry.target_type == "user"
    assert entry.before["active"] is True and entry.after["active"] is False  # type: ignore[index]
    assert entry.created_at is not None
    page = auth.client.get("/admin/audit").get_data(as_text=True)
    assert page.index("user.deactivate") < page.index("user.role</code>")
    assert "2 entries" in page
    filtered = auth.client.get("/admin/audit?action=user.role").get_data(as_text=True)
    assert "1 entry" in filtered


def test_audit_entries_never_hold_password_hashes(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    post(auth.client, f"/admin/users/{users['bob']}/reset-password")
    entry = last_audit(app)
    assert "password_hash" not in (entry.before or {}) and "password_hash" not in (
        entry.after or {}
    )


def test_audit_text_is_escaped(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    post(auth.client, "/admin/projects/new", {"name": "<b>x</b>", "slug": "x", "overlap": "1"})
    page = auth.client.get("/admin/audit").get_data(as_text=True)
    assert "<b>x</b>" not in page
