"""The export page's live count: COUNT queries grouped per article and annotator, never the
export itself, and always the number of records the export then holds."""

from __future__ import annotations

from itertools import product

import pytest
from flask import Flask

from annotator.export.counting import count_records
from annotator.export.filters import FilterError, parse_filters
from annotator.export.stream import plan_export, stream_records
from annotator.extensions import db
from annotator.projects import ensure_default_project
from tests.conftest import Auth
from tests.gold_support import build_case
from tests.querycount import count_queries
from tests.test_export_support import annotate_seed

SHAPES: list[dict[str, str]] = [
    {},
    {"by": "article"},
    {"boilerplate": "1"},
    {"layers": "entity"},
    {"layers": "sentiment,claim"},
    {"annotator": "anna"},
    {"since": "2000-01-01"},
    {"until": "2000-01-02"},
    {"since": "2000-01-01", "by": "article"},
]
CHOICES: list[dict[str, str]] = [
    {},
    {"status": "done"},
    {"gold": "1"},
    {"prefer": "gold"},
    {"majority": "1"},
    {"majority": "2"},
    {"majority": "3"},
]


@pytest.fixture
def busy(app: Flask, users: dict[str, int], seed_article: int) -> Flask:
    """The gold and majority case (three annotators, a reviewer's gold) and the seed
    article with its boilerplate, annotated by anna (done) and bob (in progress)."""
    build_case(app)
    annotate_seed(app, seed_article)
    return app


def both_counts(app: Flask, params: dict[str, str]) -> tuple[int, int] | None:
    with app.app_context():
        try:
            filters = parse_filters(params)
        except FilterError:
            return None  # a combination the export refuses too
        plan = plan_export(db.session, ensure_default_project(db.session), filters)
        return count_records(db.session, plan), sum(1 for _ in stream_records(db.session, plan))


def test_the_count_is_the_number_of_records_under_every_filter(busy: Flask) -> None:
    compared = 0
    for shape, choice in product(SHAPES, CHOICES):
        counts = both_counts(busy, {**shape, **choice})
        if counts is not None:
            assert counts[0] == counts[1], {**shape, **choice}
            compared += 1
    assert compared >= 40


def test_the_count_reads_aggregates_not_the_export(busy: Flask, auth: Auth) -> None:
    auth.login("admin")
    for params in [{}, {"prefer": "gold"}, {"gold": "1", "by": "article"}, {"majority": "2"}]:
        with busy.app_context(), count_queries(db.engine) as statements:
            response = auth.client.get("/projects/default/export/count", query_string=params)
        assert response.status_code == 200
        reads = [s for s in statements if "FROM annotation" in s or "FROM paragraph" in s]
        assert reads, params
        for statement in reads:
            assert "count(" in statement.lower(), statement
            assert "paragraph.text" not in statement, statement
            assert "annotation.attributes" not in statement, statement
        assert len(statements) <= 8, statements
