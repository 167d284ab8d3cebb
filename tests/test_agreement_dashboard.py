"""The agreement part of the project dashboard: tables, heat maps, weakest labels, articles
to adjudicate; and a number of SQL queries that does not grow with the project."""

from __future__ import annotations

import re

from flask import Flask

from annotator.extensions import db
from tests.agreement_support import anna_and_bob, talks
from tests.conftest import Auth
from tests.querycount import count_queries

PAGE = "/admin/projects/default/dashboard"


def _page(auth: Auth) -> str:
    answer = auth.client.get(PAGE)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_dashboard_shows_the_figures_per_layer_and_pair(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    article = talks(app)
    anna_and_bob(app, article)
    auth.login("admin")
    page = _page(auth)
    entity = page[page.index('id="agreement-entity"') :]
    entity = entity[: entity.index("</section>")]
    # Project and the one pair (anna – bob): F1 exact 0.50, by overlap 0.75.
    assert re.search(
        r"F1, exact span and label</td><td class=\"num\">0.50</td><td class=\"num\">0.50", entity
    )
    assert re.search(r"F1, overlapping span</td><td class=\"num\">0.75", entity)
    # The heat map prints each pair's figure in its cell, in a viridis colour.
    assert 'aria-label="Entities: F1, exact span and label per pair of annotators"' in entity
    assert re.search(r'fill="#21918C"/>\s*<text[^>]*>0.50</text>', entity)
    sentiment = page[page.index('id="agreement-sentiment"') :]
    assert re.search(r"Raw agreement</td><td class=\"num\">0.50", sentiment)
    assert "Labels with the lowest agreement" in page
    assert '<td>entity</td><td>ORG</td><td class="num">0.00</td>' in page
    assert f'<a href="/review/articles/{article}">Talks talks.txt</a>' in page
    assert '<td class="num">8</td>' in page  # its disagreements


def test_dashboard_without_shared_work_says_so(auth: Auth) -> None:
    auth.login("admin")
    assert "No article has been finished by two annotators yet." in _page(auth)


def test_dashboard_queries_do_not_grow_with_articles(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    anna_and_bob(app, talks(app, "one.txt"))
    auth.login("admin")
    _page(auth)  # warm caches: the first request also loads the user and the project
    with app.app_context(), count_queries(db.engine) as few:
        _page(auth)
    anna_and_bob(app, talks(app, "two.txt"))
    anna_and_bob(app, talks(app, "three.txt"))
    with app.app_context(), count_queries(db.engine) as more:
        page = _page(auth)
    assert "Talks three.txt" in page
    assert len(more) == len(few)
