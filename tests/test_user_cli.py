"""`annotator user ...`: list, change roles, (re)activate, all audited with no actor, and
typed passwords held to the web forms' rule."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import AuditLog
from tests.conftest import PASSWORD, Auth, get_user


def audit(app: Flask) -> list[tuple[str, int | None, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).order_by(AuditLog.id))
        return [(row.action, row.actor_id, row.target_id) for row in rows]


def test_user_list_shows_roles_and_states(app: Flask, runner: Any, users: dict[str, int]) -> None:
    runner.invoke(args=["user", "deactivate", "bob"])
    result = runner.invoke(args=["user", "list"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:3] for line in lines] == [
        ["admin", "admin", "active"],
        ["anna", "annotator", "active"],
        ["bob", "annotator", "deactivated"],
        ["rita", "reviewer", "active"],
    ]


def test_set_role_changes_the_role_and_is_audited(
    app: Flask, runner: Any, users: dict[str, int]
) -> None:
    result = runner.invoke(args=["user", "set-role", "ANNA", "admin"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "anna").role == "admin"
    assert audit(app) == [("user.role", None, str(users["anna"]))]
    bad = runner.invoke(args=["user", "set-role", "anna", "owner"])
    assert bad.exit_code != 0


def test_the_cli_keeps_the_last_active_admin(
    app: Flask, runner: Any, users: dict[str, int]
) -> None:
    for args in (["set-role", "admin", "annotator"], ["deactivate", "admin"]):
        result = runner.invoke(args=["user", *args])
        assert result.exit_code != 0 and "last active admin" in result.output
    admin = get_user(app, "admin")
    assert admin.role == "admin" and admin.active
    assert audit(app) == []


def test_deactivate_then_activate_recovers_an_account(
    app: Flask, runner: Any, auth: Auth, users: dict[str, int]
) -> None:
    assert runner.invoke(args=["user", "deactivate", "anna"]).exit_code == 0
    assert not get_user(app, "anna").active
    assert auth.login("anna").status_code == 401
    assert runner.invoke(args=["user", "activate", "anna"]).exit_code == 0
    assert auth.login("anna").status_code == 302
    assert [action for action, actor, _ in audit(app) if actor is None] == [
        "user.deactivate",
        "user.reactivate",
    ]
    unknown = runner.invoke(args=["user", "activate", "nobody"])
    assert unknown.exit_code != 0 and "No user named 'nobody'" in unknown.output


def test_create_and_set_password_refuse_a_weak_password(
    app: Flask, runner: Any, users: dict[str, int]
) -> None:
    weak = runner.invoke(args=["user", "create", "dora"], input="pw\npw\n")
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    common = runner.invoke(
        args=["user", "set-password", "anna"], input="password123\npassword123\n"
    )
    assert common.exit_code != 0 and "too common" in common.output
    assert runner.invoke(args=["user", "list"]).output.count("\n") == 4
    assert Auth(app.test_client()).login("anna", PASSWORD).status_code == 302


def test_create_and_set_password_are_audited(
    app: Flask, runner: Any, users: dict[str, int]
) -> None:
    good = "a long unusual passphrase"
    assert runner.invoke(args=["user", "create", "dora"], input=f"{good}\n{good}\n").exit_code == 0
    result = runner.invoke(args=["user", "set-password", "dora", "--generate"])
    assert result.exit_code == 0, result.output
    assert [action for action, actor, _ in audit(app) if actor is None] == [
        "user.create",
        "user.set_password",
    ]
