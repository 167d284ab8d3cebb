"""Only admins reach /admin: every page and endpoint says 403 to reviewers and annotators."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_support import post
from tests.conftest import Auth

GET_PAGES = [
    "/admin/",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{anna}",
    "/admin/projects",
    "/admin/projects/new",
    "/admin/projects/default/edit",
    "/admin/projects/default/labels",
    "/admin/projects/default/members",
    "/admin/projects/default/import",
    "/admin/projects/default/assignments",
    "/admin/projects/default/articles/{article}",
    "/admin/projects/default/dashboard",
    "/admin/projects/default/dashboard.json",
    "/admin/audit",
]
POST_ENDPOINTS = [
    "/admin/users/new",
    "/admin/users/{anna}/role",
    "/admin/users/{anna}/deactivate",
    "/admin/users/{anna}/reactivate",
    "/admin/users/{anna}/reset-password",
    "/admin/projects/new",
    "/admin/projects/default/edit",
    "/admin/projects/default/archive",
    "/admin/projects/default/labels/add",
    "/admin/projects/default/labels/entity",
    "/admin/projects/default/labels/rename",
    "/admin/projects/default/labels/remove",
    "/admin/projects/default/members",
    "/admin/projects/default/members/{anna}/role",
    "/admin/projects/default/members/{anna}/remove",
    "/admin/projects/default/import",
    "/admin/projects/default/assignments",
    "/admin/projects/default/assignments/{article}/{anna}/remove",
    "/admin/projects/default/paragraphs/{paragraph}/boilerplate",
]


def _fill(path: str, users: dict[str, int], article: int) -> str:
    return path.format(anna=users["anna"], article=article, paragraph=1)


@pytest.mark.parametrize("role_user", ["rita", "anna"])
def test_reviewers_and_annotators_get_403_on_every_admin_page(
    auth: Auth, users: dict[str, int], seed_article: int, role_user: str
) -> None:
    auth.login(role_user)
    for path in GET_PAGES:
        response = auth.client.get(_fill(path, users, seed_article))
        assert response.status_code == 403, path


@pytest.mark.parametrize("role_user", ["rita", "anna"])
def test_reviewers_and_annotators_get_403_on_every_admin_post(
    app: Flask, auth: Auth, users: dict[str, int], seed_article: int, role_user: str
) -> None:
    auth.login(role_user)
    for path in POST_ENDPOINTS:
        response = post(auth.client, _fill(path, users, seed_article), {"role": "admin"})
        assert response.status_code == 403, path
    from tests.conftest import get_user

    assert get_user(app, "anna").role == "annotator"  # nothing changed
    assert get_user(app, "anna").active


def test_json_endpoint_answers_403_in_json(auth: Auth, users: dict[str, int]) -> None:
    auth.login("rita")
    response = auth.client.get(
        "/admin/projects/default/dashboard.json", headers={"Accept": "application/json"}
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_anonymous_visitors_are_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_admin_reaches_every_admin_page(
    auth: Auth, users: dict[str, int], seed_article: int
) -> None:
    auth.login("admin")
    for path in GET_PAGES:
        response = auth.client.get(_fill(path, users, seed_article))
        assert response.status_code in (200, 302), path


def test_admin_post_without_csrf_is_rejected(auth: Auth, users: dict[str, int]) -> None:
    auth.login("admin")
    response = auth.client.post(f"/admin/users/{users['anna']}/deactivate")
    assert response.status_code == 400


def test_admin_link_only_for_admins(auth: Auth) -> None:
    auth.login("anna")
    assert 'href="/admin/"' not in auth.client.get("/projects/default/").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert 'href="/admin/"' in auth.client.get("/projects/default/").get_data(as_text=True)
