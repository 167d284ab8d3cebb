"""Start annotating / next article, and the workspace page's security-relevant markup."""

from flask import Flask
from flask.testing import FlaskClient

from tests.api_helpers import api_for
from tests.conftest import Auth, import_text


def test_start_annotating_opens_the_first_article_not_done_skipping_boilerplate_only(
    app: Flask, client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    import_text(app, "promo.txt", "Promo\nRead More: Something Else\n")
    second = import_text(app, "second.txt", "Second\nWang Yi visited Seoul.\n")
    api = api_for(client, auth)

    first = client.get("/projects/default/next")
    assert first.status_code == 302 and first.location == f"/articles/{seed_article}"
    api.send("PUT", f"/articles/{seed_article}/status", {"status": "done"})
    assert client.get("/projects/default/next").location == f"/articles/{second}"
    api.send("PUT", f"/articles/{second}/status", {"status": "done"})
    finished = client.get("/projects/default/next", follow_redirects=True)
    assert "every article is done" in finished.get_data(as_text=True)


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
    assert client.get("/projects/nope/next").status_code == 404
    assert client.get("/articles/999999").status_code == 404
