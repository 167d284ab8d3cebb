"""Pages: the article list, the article page, and error pages for people and for scripts."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from annotator.audit import record
from annotator.extensions import db
from annotator.models import User
from tests.conftest import SEED_TITLE, Auth, import_text


def test_home_goes_to_the_only_project(auth: Auth) -> None:
    auth.login("anna")
    response = auth.client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/projects/default/"


def test_article_list_shows_title_source_paragraphs_and_status(
    auth: Auth, seed_article: int
) -> None:
    auth.login("anna")
    page = auth.client.get("/projects/default/").get_data(as_text=True)
    assert SEED_TITLE in page
    assert "Bloomberg" in page
    assert "13 / 30" in page  # content paragraphs / all paragraphs
    assert "not started" in page


def test_article_page_shows_every_paragraph_and_folds_each_run_of_boilerplate(
    auth: Auth, seed_article: int
) -> None:
    auth.login("anna")
    page = auth.client.get(f"/articles/{seed_article}").get_data(as_text=True)
    assert page.count('<p class="para-text">') == 30
    assert page.count('class="para boilerplate"') == 17
    # Paragraphs 2-7, 12, 14, 18 and 23-30: one folded block per run.
    toggles = re.findall(r'aria-expanded="false" aria-controls="bp-\d+">([^<]+)<', page)
    assert toggles == [
        "6 boilerplate paragraphs",
        "1 boilerplate paragraph",
        "1 boilerplate paragraph",
        "1 boilerplate paragraph",
        "8 boilerplate paragraphs",
    ]
    assert page.count('class="bp-body"') == 5
    assert page.count(" hidden>") >= 5


def test_article_text_is_escaped_never_rendered_as_html(app: Flask, auth: Auth) -> None:
    article = import_text(app, "x.txt", "Title <b>bold</b>\nHello <img src=x onerror=alert(1)>\n")
    auth.login("anna")
    page = auth.client.get(f"/articles/{article}").get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Title &lt;b&gt;bold&lt;/b&gt;" in page


def test_unknown_pages_get_the_404_page(auth: Auth) -> None:
    auth.login("anna")
    for path in ["/articles/999999", "/projects/nope/", "/no/such/page"]:
        response = auth.client.get(path)
        assert response.status_code == 404, path
        assert "There is nothing at this address" in response.get_data(as_text=True)


def test_api_paths_get_json_errors(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("kaboom")

    @app.get("/forbidden")
    def forbidden() -> str:
        from flask import abort

        abort(403)

    return app


def test_unexpected_errors_get_the_500_page_without_details(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong on our side" in body
    assert "kaboom" not in body


def test_forbidden_gets_the_403_page(failing_app: Flask) -> None:
    response = failing_app.test_client().get("/forbidden")
    assert response.status_code == 403
    assert "does not have access" in response.get_data(as_text=True)


def test_article_list_queries_do_not_grow_with_the_number_of_articles(
    app: Flask, auth: Auth
) -> None:
    from annotator.extensions import db
    from tests.querycount import count_queries

    auth.login("anna")

    def queries_for_list() -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            assert auth.client.get("/projects/default/").status_code == 200
        return len(statements)

    import_text(app, "one.txt", "Only article\nA paragraph.\n")
    few = queries_for_list()
    for i in range(20):
        import_text(app, f"a{i}.txt", f"Article {i}\nParagraph of article {i}.\n")
    assert 2 <= few <= 6
    assert queries_for_list() == few


#: Each paged list, and what its one page shows once the seed article is in (and the audit
#: log holds one entry).
LISTS = {
    "/projects/default/": SEED_TITLE,
    "/admin/users": "rita",
    "/admin/audit": "Night desk",
    "/admin/projects/default/assignments": SEED_TITLE,
}


@pytest.mark.parametrize(("path", "shown"), LISTS.items(), ids=list(LISTS))
@pytest.mark.parametrize("page", ["9223372036854775807", "1" + "0" * 30, "-5", "x"])
def test_a_page_number_past_any_list_shows_its_last_page_not_an_error(
    app: Flask, auth: Auth, seed_article: int, path: str, shown: str, page: str
) -> None:
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username_key == "admin"))
        record(db.session, admin, "project.update", ("project", 1), None, {"name": "Night desk"})
        db.session.commit()
    auth.login("admin")
    response = auth.client.get(f"{path}?page={page}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert shown in response.get_data(as_text=True)  # the rows of its last (only) page
