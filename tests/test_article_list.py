"""The article list: search in titles and text (literal, paged), filters by the user's status
and by assignment, all kept in the URL; values off the allow-lists are a 400."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from annotator.extensions import db
from annotator.models import Assignment
from annotator.workspace import views
from tests.api_helpers import Api
from tests.conftest import Auth, import_text
from tests.querycount import count_queries

LIST = "/projects/default/"


def titles(api: Api, query: str = "") -> list[str]:
    response = api.client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    return re.findall(r'<a href="/articles/\d+">([^<]+)</a>', response.get_data(as_text=True))


@pytest.fixture
def articles(app: Flask) -> dict[str, int]:
    """Five small articles whose titles and texts hold the characters LIKE treats specially."""
    texts = {
        "Percent": "100% sure of it\nThe rate rose by 100% this year.",
        "Hundred": "100 percent sure\nThe rate rose by a hundred this year.",
        "Snake": "Naming rules\nWe write snake_case names.",
        "Camel": "Naming habits\nWe write snakeXcase names.",
        "Slashes": "Paths and escapes\nA path like a/b and a back\\slash.",
    }
    return {name: import_text(app, f"{name}.txt", text) for name, text in texts.items()}


def test_search_finds_titles_and_text_case_insensitively(api: Api, articles: dict[str, int]):
    assert titles(api, "q=NAMING") == ["Naming rules", "Naming habits"]
    assert titles(api, "q=snake_case") == ["Naming rules"]  # in the text only
    assert titles(api, "q=rate+rose") == ["100% sure of it", "100 percent sure"]


def test_search_takes_sql_wildcards_literally(api: Api, articles: dict[str, int]) -> None:
    assert titles(api, "q=%25") == ["100% sure of it"]
    assert titles(api, "q=_") == ["Naming rules"]
    assert titles(api, "q=a%2Fb") == ["Paths and escapes"]
    assert titles(api, "q=%5Cslash") == ["Paths and escapes"]
    assert titles(api, "q=100%25+sure") == ["100% sure of it"]


def test_no_match_says_so_and_offers_the_whole_list(api: Api, articles: dict[str, int]) -> None:
    page = api.client.get(f"{LIST}?q=nowhere").get_data(as_text=True)
    assert "0 articles found" in page
    assert "No article matches these filters." in page
    assert 'value="nowhere"' in page  # the search stays in its box


def test_status_filter_is_the_users_own_status(api: Api, articles: dict[str, int]) -> None:
    put = api.send("PUT", f"/articles/{articles['Snake']}/status", {"status": "done"})
    assert put.status_code == 200
    api.send("PUT", f"/articles/{articles['Camel']}/status", {"status": "in_progress"})

    assert titles(api, "status=done") == ["Naming rules"]
    assert titles(api, "status=in_progress") == ["Naming habits"]
    assert titles(api, "status=not_started") == [
        "100% sure of it",
        "100 percent sure",
        "Paths and escapes",
    ]
    assert titles(api, "status=done&q=habits") == []


def test_assigned_to_me_lists_only_my_assignments(
    app: Flask, api: Api, users: dict[str, int], articles: dict[str, int]
) -> None:
    with app.app_context():
        db.session.add(Assignment(article_id=articles["Percent"], user_id=users["anna"]))
        db.session.add(Assignment(article_id=articles["Snake"], user_id=users["bob"]))
        db.session.commit()
    assert titles(api, "mine=1") == ["100% sure of it"]
    page = api.client.get(f"{LIST}?mine=1").get_data(as_text=True)
    assert 'name="mine" value="1" checked' in page


def test_the_pager_keeps_the_filters(
    api: Api, articles: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 2)
    page = api.client.get(f"{LIST}?q=e&status=not_started").get_data(as_text=True)
    assert "Page 1 of 3" in page
    assert "/projects/default/?page=2&amp;q=e&amp;status=not_started" in page
    second = api.client.get(f"{LIST}?page=3&q=e&status=not_started").get_data(as_text=True)
    assert "Page 3 of 3" in second
    assert "/projects/default/?page=2&amp;q=e&amp;status=not_started" in second


@pytest.mark.parametrize(
    "query",
    ["status=finished", "review=maybe", "mine=yes", "q=a%00b", "q=" + "x" * 201],
)
def test_values_off_the_allow_lists_are_a_400(auth: Auth, query: str) -> None:
    auth.login("anna")
    assert auth.client.get(f"{LIST}?{query}").status_code == 400


def test_filtering_costs_no_more_queries_as_articles_grow(app: Flask, api: Api) -> None:
    def queries() -> int:
        with app.app_context(), count_queries(db.engine) as statements:
            response = api.client.get(f"{LIST}?q=article&status=not_started&mine=1")
            assert response.status_code == 200
        return len(statements)

    import_text(app, "one.txt", "Only article\nA paragraph.\n")
    few = queries()
    for i in range(10):
        import_text(app, f"a{i}.txt", f"Article {i}\nParagraph of article {i}.\n")
    assert queries() == few
