"""The queue counts only people who can work: deactivated and removed members are nobody's
colleagues, their unfinished articles go back to the queue (audited), and hand assignment
offers the project's members only."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Article, ArticleStatus, Assignment, AuditLog, Status
from tests.admin_support import post
from tests.conftest import Auth
from tests.test_queue import _articles, _assignments, _next, _set_overlap


def add_members(auth: Auth, *names: str) -> None:
    for name in names:
        response = post(
            auth.client, "/admin/projects/default/members", {"username": name, "role": "annotator"}
        )
        assert response.status_code == 302


def releases(app: Flask) -> list[dict[str, object]]:
    with app.app_context():
        query = select(AuditLog).where(AuditLog.action == "assignment.release")
        return [entry.after or {} for entry in db.session.scalars(query)]


def start_page(auth: Auth) -> str:
    from tests.test_annotations_queue import start

    return start(auth.client, follow_redirects=True).get_data(as_text=True)


def test_a_deactivated_member_is_not_a_colleague(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    _set_overlap(app, 1)
    first, second = _articles(app, 2)
    auth.login("admin")
    add_members(auth, "anna", "bob")
    post(auth.client, f"/admin/users/{users['bob']}/deactivate")
    assert _next(app, "anna") == first
    assert _next(app, "anna") == second  # nobody else could take it


def test_deactivating_releases_unfinished_articles_and_keeps_finished_ones(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    _set_overlap(app, 1)
    articles = _articles(app, 3)
    finished = _next(app, "bob")
    held = _next(app, "bob", finish=False)
    mine = _next(app, "anna")
    assert {finished, held, mine} == set(articles)
    auth.login("admin")
    post(auth.client, f"/admin/users/{users['bob']}/deactivate")
    assert (held, users["bob"]) not in _assignments(app)
    assert (finished, users["bob"]) in _assignments(app)
    assert releases(app) == [{"user": "bob", "project": None, "articles": [held]}]
    assert _next(app, "anna") == held


def test_removing_a_member_releases_their_articles_in_that_project(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    _set_overlap(app, 1)
    first, second = _articles(app, 2)
    auth.login("admin")
    add_members(auth, "anna", "bob")
    assert _next(app, "bob", finish=False) == first
    post(auth.client, f"/admin/projects/default/members/{users['bob']}/remove")
    assert releases(app) == [{"user": "bob", "project": "default", "articles": [first]}]
    assert _assignments(app) == []
    assert _next(app, "anna") == first
    assert _next(app, "anna") == second


def test_the_waiting_message_counts_only_what_colleagues_can_take(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    """The issue's example: articles held by a deactivated member stranded the rest."""
    _set_overlap(app, 1)
    articles = _articles(app, 4)
    held = [_next(app, "bob", finish=False)]
    with app.app_context():  # bob starts a second one by hand-made assignment
        other = next(a for a in articles if a not in held)
        db.session.add(Assignment(article_id=other, user_id=users["bob"], assigned_by_id=None))
        db.session.commit()
    admin = Auth(app.test_client())
    admin.login("admin")
    post(admin.client, f"/admin/users/{users['bob']}/deactivate")
    auth.login("anna")
    for _ in range(4):
        page = start_page(auth)
        with app.app_context():
            current = db.session.scalars(
                select(Assignment.article_id).where(Assignment.user_id == users["anna"])
            ).all()
            for article_id in current:
                db.session.merge(
                    ArticleStatus(
                        article_id=article_id, user_id=users["anna"], status=Status.DONE.value
                    )
                )
            db.session.commit()
    assert "waiting for colleagues" not in page
    assert "every article is done" in start_page(auth)


def test_hand_assignment_offers_members_only(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    (article,) = _articles(app, 1)
    auth.login("admin")
    open_page = auth.client.get("/admin/projects/default/assignments").get_data(as_text=True)
    for name in ("anna", "bob", "rita"):
        assert f'<option value="{name}">' in open_page
    assert '<option value="admin">' not in open_page
    add_members(auth, "anna")
    page = auth.client.get("/admin/projects/default/assignments").get_data(as_text=True)
    assert '<option value="anna">' in page and '<option value="bob">' not in page
    form = {"article_id": str(article), "username": "bob"}
    post(auth.client, "/admin/projects/default/assignments", form)
    assert _assignments(app) == []
    post(auth.client, "/admin/projects/default/assignments", {**form, "username": "anna"})
    assert _assignments(app) == [(article, users["anna"])]


def test_a_deactivated_or_non_member_cannot_be_assigned_by_the_service(
    app: Flask, users: dict[str, int]
) -> None:
    from annotator.admin.assignments import AssignmentError, assign
    from annotator.models import ProjectMember, User

    (article_id,) = _articles(app, 1)
    with app.app_context():
        article = db.session.get(Article, article_id)
        admin, anna, bob = (db.session.get(User, users[n]) for n in ("admin", "anna", "bob"))
        assert article is not None and admin and anna and bob
        db.session.add(
            ProjectMember(project_id=article.project_id, user_id=anna.id, role="annotator")
        )
        db.session.flush()
        db.session.info.pop("member_roles", None)
        with pytest.raises(AssignmentError, match="does not work on"):
            assign(db.session, admin, article, bob)
        db.session.rollback()
