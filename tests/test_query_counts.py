"""How many SQL statements the busiest requests send, counted on the engine (issue 13).

A fetch of one paragraph with its annotations is at most 3 statements (the login, the
paragraph with its access facts, the annotations); a save at most 5 (the login, the scope
claim that is also the status, one read of paragraph, access and scope, the row and its
history). None of them grows with the work already stored.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from annotator.extensions import db
from tests.api_helpers import CHO, Api, paragraph_with, span_of
from tests.conftest import Auth, import_text
from tests.querycount import count_queries
from tests.test_token_scopes import bearer, make_token

FETCH_LIMIT = 3
SAVE_LIMIT = 5


def _statements(app: Flask, call: object) -> list[str]:
    with app.app_context(), count_queries(db.engine) as statements:
        assert callable(call)
        response = call()
        response.get_data()
    assert response.status_code < 300, response.get_data(as_text=True)
    return statements


def _words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word, to give every save its own span."""
    spans, start = [], 0
    for word in text.split(" "):
        if word.isalpha():
            spans.append((start, start + len(word)))
        start += len(word) + 1
    return spans


def _save(api: Api, paragraph_id: int, span: tuple[int, int], client_id: str) -> object:
    return lambda: api.create(
        paragraph_id=paragraph_id,
        layer="entity",
        start=span[0],
        end=span[1],
        label="PERSON",
        client_id=client_id,
    )


def test_a_fetch_is_three_statements_however_many_annotations(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    fetch = lambda: api.get(f"/paragraphs/{cho[0]}/annotations")  # noqa: E731
    empty = _statements(app, fetch)
    for n, span in enumerate(_words(cho[1])[:6]):
        assert api.entity(cho[0], *span).status_code == 201, n

    busy = _statements(app, fetch)

    assert len(empty) <= FETCH_LIMIT, empty
    assert len(busy) == len(empty), busy
    assert not [s for s in busy if not s.lstrip().upper().startswith("SELECT")]


def test_a_save_as_the_workspace_sends_it_is_five_statements(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    spans = _words(cho[1])
    first = _statements(app, _save(api, cho[0], spans[0], "c-0"))
    for n, span in enumerate(spans[1:6], start=1):
        assert _save(api, cho[0], span, f"c-{n}")().status_code == 201  # type: ignore[operator]

    later = _statements(app, _save(api, cho[0], spans[6], "c-6"))

    assert len(first) <= SAVE_LIMIT, first
    assert len(later) == len(first), later
    writes = [s.split("(")[0].strip() for s in later if s.lstrip().startswith("INSERT")]
    assert writes == [
        "INSERT INTO article_status",
        "INSERT INTO annotation",
        "INSERT INTO annotation_event",
    ]


def test_a_replayed_save_is_no_more_statements_and_writes_no_row(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    span = _words(cho[1])[0]
    assert _save(api, cho[0], span, "again")().status_code == 201  # type: ignore[operator]

    replay = _statements(app, _save(api, cho[0], span, "again"))

    assert len(replay) <= SAVE_LIMIT, replay
    assert not [s for s in replay if "INSERT INTO annotation" in s]


def test_the_workspace_page_does_not_grow_with_annotations(
    app: Flask, auth: Auth, api: Api, seed_article: int, cho: tuple[int, str]
) -> None:
    page = lambda: auth.client.get(f"/articles/{seed_article}")  # noqa: E731
    empty = _statements(app, page)
    for span in _words(cho[1])[:6]:
        assert api.entity(cho[0], *span).status_code == 201

    busy = _statements(app, page)

    assert len(empty) <= 4, empty
    assert len(busy) == len(empty), busy


def test_an_export_is_a_fixed_number_of_statements_whatever_the_corpus(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    assert api.entity(cho[0], *span_of(cho[1], CHO)).status_code == 201
    admin = Auth(app.test_client())
    admin.login("admin")
    export = lambda: admin.client.get("/projects/default/export?format=native")  # noqa: E731
    small = _statements(app, export)
    for i in range(5):
        article = import_text(app, f"more{i}.txt", f"Article {i}\nCho Tae-yul spoke {i}.\n")
        paragraph_id, text = paragraph_with(app, article, CHO)
        assert api.entity(paragraph_id, *span_of(text, CHO)).status_code == 201

    large = _statements(app, export)

    assert len(small) <= 8, small
    assert len(large) == len(small), large
    assert not [s for s in large if not s.lstrip().upper().startswith("SELECT")]


def test_a_token_fetch_is_three_statements_and_a_second_one_writes_nothing(
    app: Flask, client: FlaskClient, users: dict[str, int], cho: tuple[int, str]
) -> None:
    clear = make_token(app, "anna", "read")
    fetch = lambda: client.get(  # noqa: E731
        f"/api/v1/paragraphs/{cho[0]}/annotations", headers=bearer(clear)
    )
    _statements(app, fetch)  # the first use of the minute notes the token's last use

    again = _statements(app, fetch)

    assert len(again) <= FETCH_LIMIT, again
    assert not [s for s in again if not s.lstrip().upper().startswith("SELECT")]
