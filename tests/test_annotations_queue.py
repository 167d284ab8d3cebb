"""Start annotating / next article, and the workspace page's security-relevant markup."""

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.extensions import db
from annotator.models import Assignment, User
from tests.api_helpers import api_for
from tests.conftest import Auth, csrf_token, import_text


def start(client: FlaskClient, slug: str = "default", **kw: Any) -> Any:
    """Press "Start annotating": a POST with the page's CSRF token."""
    token = csrf_token(client, "/profile/")
    return client.post(f"/projects/{slug}/next", data={"csrf_token": token}, **kw)


def test_start_annotating_opens_the_first_article_not_done_skipping_boilerplate_only(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    import_text(app, "promo.txt", "Promo\nRead More: Something Else\n")
    second = import_text(app, "second.txt", "Second\nWang Yi visited Seoul.\n")
    api = api_for(client, auth)
    set_active(app, "bob", False)  # anna works alone: every article is in her share

    first = start(client)
    assert first.status_code == 302 and first.location == f"/articles/{seed_article}"
    api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})
    assert start(client).location == f"/articles/{second}"
    api.send("PUT", f"/articles/{second}/status", {"status": "done"})
    finished = start(client, follow_redirects=True)
    assert "every article is done" in finished.get_data(as_text=True)


def test_past_her_share_an_annotator_is_told_the_rest_waits_for_colleagues(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    import_text(app, "second.txt", "Second\nWang Yi visited Seoul.\n")
    api = api_for(client, auth)  # anna; bob shares the work, one article each
    assert start(client).location == f"/articles/{seed_article}"
    api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})
    page = start(client, follow_redirects=True).get_data(as_text=True)
    assert "done your share for now: 1 more article(s) are waiting for colleagues" in page


def set_active(app: Flask, username: str, active: bool) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username))
        assert user is not None
        user.active = active
        db.session.commit()


def test_start_annotating_keeps_the_assignment_it_makes(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[str, int], seed_article: int
) -> None:
    """With overlap 1, the article handed to anna is not handed to bob as well."""
    second = import_text(app, "second.txt", "Second\nWang Yi visited Seoul.\n")
    auth.login("anna")
    assert start(client).location == f"/articles/{seed_article}"
    with app.app_context():
        held = db.session.scalars(select(Assignment.user_id)).all()
        assert held == [users["anna"]]
    auth.logout()
    auth.login("bob")
    assert start(client).location == f"/articles/{second}"


def test_article_list_offers_start_and_shows_my_status(
    client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    api = api_for(client, auth)
    api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})
    page = client.get("/projects/default/").get_data(as_text=True)
    assert "Start annotating" in page
    assert 'class="status status-done"' in page


def test_workspace_page_has_csrf_meta_no_inline_script_and_escapes_text(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    article = import_text(app, "evil.txt", "T <b>x</b>\nSay <img src=x onerror=alert(1)> now.\n")
    auth.login("anna")
    response = client.get(f"/articles/{article}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<meta name="csrf-token" content="' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split("style-src")[0]
    assert " onclick=" not in html and "<script>" not in html
    assert 'type="module" src="/static/js/workspace.js"' in html


def test_unknown_project_or_article_is_404(client: FlaskClient, auth: Auth) -> None:
    auth.login("anna")
    assert start(client, "nope").status_code == 404
    assert client.get("/articles/999999").status_code == 404


def test_taking_the_next_article_is_a_post_with_csrf(
    app: Flask, client: FlaskClient, auth: Auth, users: dict[str, int], seed_article: int
) -> None:
    """A GET (a prefetch, a crawler, an old bookmark) assigns nothing; a POST needs CSRF."""
    auth.login("anna")
    page = client.get("/projects/default/").get_data(as_text=True)
    assert 'method="post" action="/projects/default/next"' in page
    bookmark = client.get("/projects/default/next")
    assert bookmark.status_code == 302 and bookmark.location == "/projects/default/"
    assert client.post("/projects/default/next").status_code == 400
    with app.app_context():
        assert db.session.scalars(select(Assignment)).all() == []
    assert start(client).location == f"/articles/{seed_article}"
    workspace = client.get(f"/articles/{seed_article}").get_data(as_text=True)
    assert '<form method="post" action="/projects/default/next" id="ws-next"' in workspace


def test_the_article_header_joins_only_the_facts_it_has(
    app: Flask, client: FlaskClient, auth: Auth
) -> None:
    """A page with no source or date said "· page": a separator with nothing before it."""
    article = import_text(app, "page.txt", "Harbour reopens\nThe harbour reopened on Monday.\n")
    auth.login("anna")
    html = client.get(f"/articles/{article}").get_data(as_text=True)
    facts = html.split("</h1>", 1)[1].split("</header>", 1)[0]
    assert "<code>page</code>" in facts and "·" not in facts, facts
