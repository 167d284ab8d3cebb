"""User administration: list, create, roles, deactivation, resets, and the last-admin guard."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.admin_support import annotate, audit_actions, last_audit, post
from tests.conftest import Auth, add_user, get_user


@pytest.fixture
def client_pair(app: Flask, users: dict[str, int]) -> tuple[Auth, Auth]:
    """Two browsers: one for the admin, one for the user they manage."""
    return Auth(app.test_client()), Auth(app.test_client())


def test_users_list_shows_counts_and_searches(
    app: Flask, auth: Auth, users: dict[str, int], seed_article: int
) -> None:
    annotate(app, seed_article, "anna", "entity", "PERSON")
    auth.login("admin")
    page = auth.client.get("/admin/users").get_data(as_text=True)
    assert "4 users" in page
    row = re.search(r">anna</a>.*?</tr>", page, re.S)
    assert row and '<td class="num">1</td>' in row.group(0)
    found = auth.client.get("/admin/users?q=AN").get_data(as_text=True)
    assert ">anna</a>" in found and ">bob</a>" not in found
    assert "1 user matching" in found


def test_users_list_paginates(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    for i in range(30):
        add_user(app, f"user{i:02d}")
    auth.login("admin")
    first = auth.client.get("/admin/users").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = auth.client.get("/admin/users?page=2").get_data(as_text=True)
    assert "user29" in second and "user29" not in first


def test_create_user_with_generated_password_shows_it_once(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    response = post(
        auth.client,
        "/admin/users/new",
        {"username": "carla", "role": "annotator", "must_change": "y"},
    )
    assert response.status_code == 200
    password = re.search(r'id="new-password">([^<]+)<', response.get_data(as_text=True))
    assert password
    carla = get_user(app, "carla")
    assert carla.role == "annotator" and carla.must_change_password
    assert last_audit(app).action == "user.create"
    assert "password" not in str(last_audit(app).after).lower().replace("must_change_password", "")
    auth.logout()
    assert auth.login("carla", password.group(1)).status_code == 302


def test_create_user_with_typed_password(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    auth.login("admin")
    response = post(
        auth.client,
        "/admin/users/new",
        {"username": "dora", "role": "reviewer", "password": "a long unusual phrase"},
    )
    assert response.status_code == 200
    assert "logs in with the password you typed" in response.get_data(as_text=True)
    assert get_user(app, "dora").role == "reviewer"
    assert not get_user(app, "dora").must_change_password


def test_create_user_refuses_duplicates_and_weak_passwords(
    auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    taken = post(auth.client, "/admin/users/new", {"username": "ANNA", "role": "annotator"})
    assert taken.status_code == 400
    assert "exists already" in taken.get_data(as_text=True)
    weak = post(auth.client, "/admin/users/new", {"username": "eve", "password": "password123"})
    assert weak.status_code == 400
    assert "too common" in weak.get_data(as_text=True)


def test_change_role_is_audited(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    auth.login("admin")
    response = post(auth.client, f"/admin/users/{users['anna']}/role", {"role": "reviewer"})
    assert response.status_code == 302
    assert get_user(app, "anna").role == "reviewer"
    entry = last_audit(app)
    assert entry.action == "user.role"
    assert entry.before["role"] == "annotator" and entry.after["role"] == "reviewer"  # type: ignore[index]


def test_deactivated_user_is_logged_out_and_cannot_log_in(
    app: Flask, client_pair: tuple[Auth, Auth], users: dict[str, int], seed_article: int
) -> None:
    admin, anna = client_pair
    anna_work = annotate(app, seed_article, "anna", "entity", "PERSON")
    anna.login("anna")
    assert anna.client.get("/projects/default/").status_code == 200
    admin.login("admin")
    assert post(admin.client, f"/admin/users/{users['anna']}/deactivate").status_code == 302
    assert not get_user(app, "anna").active
    assert anna.client.get("/projects/default/").status_code == 302  # logged out
    assert anna.login("anna").status_code == 401
    assert anna_work  # their annotation stays
    from tests.admin_support import annotation

    assert annotation(app, anna_work).annotator_id == users["anna"]
    assert post(admin.client, f"/admin/users/{users['anna']}/reactivate").status_code == 302
    assert anna.client.get("/projects/default/").status_code == 302  # old session stays dead
    assert Auth(app.test_client()).login("anna").status_code == 302
    assert audit_actions(app)[-2:] == ["user.deactivate", "user.reactivate"]


def test_last_active_admin_cannot_deactivate_or_demote_themselves(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    me = users["admin"]
    response = post(auth.client, f"/admin/users/{me}/deactivate")
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "last active admin" in page
    post(auth.client, f"/admin/users/{me}/role", {"role": "annotator"})
    assert get_user(app, "admin").active and get_user(app, "admin").role == "admin"
    assert audit_actions(app) == []


def test_an_admin_can_step_down_once_another_admin_exists(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    post(auth.client, f"/admin/users/{users['rita']}/role", {"role": "admin"})
    post(auth.client, f"/admin/users/{users['admin']}/role", {"role": "reviewer"})
    assert get_user(app, "admin").role == "reviewer"
    assert auth.client.get("/admin/users").status_code == 403


def test_inactive_admins_do_not_count_for_the_guard(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    add_user(app, "former", role="admin", active=False)
    auth.login("admin")
    post(auth.client, f"/admin/users/{users['admin']}/deactivate")
    assert get_user(app, "admin").active


def test_reset_password_shows_a_temporary_one_and_forces_a_change(
    app: Flask, client_pair: tuple[Auth, Auth], users: dict[str, int]
) -> None:
    admin, bob = client_pair
    bob.login("bob")
    admin.login("admin")
    response = post(admin.client, f"/admin/users/{users['bob']}/reset-password")
    temporary = re.search(r'id="new-password">([^<]+)<', response.get_data(as_text=True))
    assert temporary
    assert get_user(app, "bob").must_change_password
    assert last_audit(app).action == "user.reset_password"
    assert bob.client.get("/projects/default/").status_code == 302  # the reset ended it
    assert bob.login("bob").status_code == 401  # the old password is gone
    assert bob.login("bob", temporary.group(1)).status_code == 302
    forced = bob.client.get("/projects/default/")
    assert forced.status_code == 302 and forced.headers["Location"] == "/profile/"


def test_the_ui_never_deletes_users(auth: Auth, users: dict[str, int]) -> None:
    auth.login("admin")
    page = auth.client.get(f"/admin/users/{users['anna']}").get_data(as_text=True)
    assert "Delete" not in page
    assert auth.client.post(f"/admin/users/{users['anna']}").status_code == 405
