"""The queue: overlap, balance, hand-made assignments first, nothing without content."""

from __future__ import annotations

from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Article, ArticleStatus, Assignment, Project, Status, User
from annotator.queue import next_article
from tests.admin_support import post
from tests.conftest import Auth, add_user, import_text


def _articles(app: Flask, count: int) -> list[int]:
    return [import_text(app, f"a{i}.txt", f"Title {i}\nBody of article {i}.") for i in range(count)]


def _set_overlap(app: Flask, overlap: int) -> None:
    with app.app_context():
        project = db.session.scalar(select(Project))
        assert project is not None
        project.settings = {**project.settings, "overlap": overlap}
        db.session.commit()


def _next(app: Flask, username: str, finish: bool = True) -> int | None:
    """Ask the queue as this user; optionally mark the article done, as the workspace would."""
    with app.app_context():
        project = db.session.scalar(select(Project))
        user = db.session.scalar(select(User).where(User.username_key == username))
        assert project is not None and user is not None
        article = next_article(db.session, project, user)
        if article is not None and finish:
            db.session.add(
                ArticleStatus(article_id=article.id, user_id=user.id, status=Status.DONE.value)
            )
        db.session.commit()
        return article.id if article is not None else None


def _assignments(app: Flask) -> list[tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(select(Assignment.article_id, Assignment.user_id)).all()
        return [(a, u) for a, u in rows]


def test_overlap_two_across_three_annotators(app: Flask, users: dict[str, int]) -> None:
    add_user(app, "cleo")
    articles = _articles(app, 3)
    _set_overlap(app, 2)
    for _ in range(3):
        for name in ["anna", "bob", "cleo"]:
            _next(app, name)
    pairs = _assignments(app)
    per_article = Counter(article for article, _ in pairs)
    per_user = Counter(user for _, user in pairs)
    assert per_article == {article: 2 for article in articles}
    assert sorted(per_user.values()) == [2, 2, 2]
    assert len(set(pairs)) == 6  # nobody got the same article twice
    assert all(_next(app, name) is None for name in ["anna", "bob", "cleo"])


def test_an_eager_annotator_cannot_take_everything(app: Flask, users: dict[str, int]) -> None:
    add_user(app, "cleo")
    _articles(app, 3)
    _set_overlap(app, 2)
    taken = [_next(app, "anna") for _ in range(4)]
    assert taken[2:] == [None, None]  # a fair share is 3 x 2 / 3 = 2 articles
    assert _next(app, "bob") is not None and _next(app, "cleo") is not None


def test_the_same_article_until_it_is_done(app: Flask, users: dict[str, int]) -> None:
    first, _second = _articles(app, 2)
    assert _next(app, "anna", finish=False) == first
    assert _next(app, "anna", finish=False) == first
    assert _next(app, "anna") == first
    assert _next(app, "anna") != first


def test_overlap_one_gives_each_article_to_one_annotator(app: Flask, users: dict[str, int]) -> None:
    first, second = _articles(app, 2)
    assert _next(app, "anna") == first
    assert _next(app, "bob") == second
    assert _next(app, "bob") is None


def test_articles_without_content_are_skipped(app: Flask, users: dict[str, int]) -> None:
    only_boilerplate = import_text(app, "promo.txt", "Promo\n© 2024 Bloomberg L.P.")
    real = import_text(app, "real.txt", "Real\nSomething happened today.")
    assert _next(app, "anna") == real
    assert only_boilerplate not in [a for a, _ in _assignments(app)]


def test_hand_made_assignments_come_first(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    first, _second, third = _articles(app, 3)
    assert _next(app, "anna", finish=False) == first  # automatic, not done
    auth.login("admin")
    response = post(
        auth.client,
        "/admin/projects/default/assignments",
        {"article_id": str(third), "username": "anna"},
    )
    assert response.status_code == 302
    assert _next(app, "anna") == third
    assert _next(app, "anna") == first


def test_unassign_by_hand(app: Flask, auth: Auth, users: dict[str, int]) -> None:
    (article,) = _articles(app, 1)
    auth.login("admin")
    post(
        auth.client,
        "/admin/projects/default/assignments",
        {"article_id": str(article), "username": "bob"},
    )
    page = auth.client.get("/admin/projects/default/assignments").get_data(as_text=True)
    assert "by hand" in page and "bob" in page
    again = post(
        auth.client,
        "/admin/projects/default/assignments",
        {"article_id": str(article), "username": "bob"},
    )
    assert "already has this article" in auth.client.get(again.headers["Location"]).get_data(
        as_text=True
    )
    post(auth.client, f"/admin/projects/default/assignments/{article}/{users['bob']}/remove")
    assert _assignments(app) == []


def test_assigning_an_article_of_another_project_is_404(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    auth.login("admin")
    response = post(
        auth.client, "/admin/projects/default/assignments", {"article_id": "999", "username": "bob"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Article)) is None


@pytest.mark.parametrize("article_id", ["99999999999999999999", "\u0661", "-1", "1.0"])
def test_an_article_id_no_article_can_have_is_404(
    app: Flask, auth: Auth, users: dict[str, int], article_id: str
) -> None:
    """Past any database's ids (it was a 500), or digits that are not 0-9 ("١" read as 1)."""
    import_text(app, "one.txt", "Headline\n\nA paragraph.")
    auth.login("admin")
    path = "/admin/projects/default/assignments"
    response = post(auth.client, path, {"article_id": article_id, "username": "bob"})
    assert response.status_code == 404
    assert _assignments(app) == []
