"""Text that cannot be stored and JSON nested too deep are refused at every door, naming where.

A lone surrogate (what a JSON "\\ud800" escape decodes to) cannot be encoded as UTF-8: stored,
it breaks every export that meets it. A NUL character is not text, and PostgreSQL's text
refuses it. Each door answers a clear 4xx or IngestError and writes nothing.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.formats.registry import parse_annotation_lines
from annotator.ingest import IngestError, parse_jsonl_articles, parse_text_article
from annotator.models import Annotation, AnnotationEvent, ApiToken, Article, Paragraph, Project
from tests.api_helpers import Api
from tests.conftest import Auth, csrf_token

LONE = "\ud800"
#: A JSON text ten thousand arrays deep: more than Python's parser follows.
DEEP = "[" * 10_000 + "]" * 10_000


def rows(app: Flask) -> dict[str, int]:
    """How many rows every table that a door could write holds."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Project, Article, Paragraph, Annotation, AnnotationEvent, ApiToken)
        }


def escaped(body: Any) -> str:
    """JSON as a client sends it: a lone surrogate becomes the escape "\\ud800"."""
    return json.dumps(body)


# --- the JSON API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"label": f"opinion{LONE}"}, "label"),
        (
            {"attributes": {"claimant": {"entity_id": None, "text": f"Wang {LONE}"}}},
            "attributes.claimant.text",
        ),
        ({"attributes": {f"mood{LONE}": "x"}}, "attributes.mood\\ud800"),
        (
            {"attributes": {"claimant": {"entity_id": None, "text": "Wang\x00 Yi"}}},
            "attributes.claimant.text",
        ),
    ],
)
def test_the_api_refuses_text_that_cannot_be_stored_naming_the_field(
    app: Flask, api: Api, cho: tuple[int, str], change: dict[str, Any], field: str
) -> None:
    body = {"paragraph_id": cho[0], "layer": "claim", "start": 0, "end": 10, "label": "opinion"}
    before = rows(app)

    response = api.client.post(
        "/api/v1/annotations",
        data=escaped({**body, **change}),
        content_type="application/json",
        headers={"X-CSRFToken": api.token},
    )

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request" and error["field"] == field
    assert (
        "cannot be stored (a lone surrogate such as \\ud800, which is not UTF-8, or a NUL"
        in (error["message"])
    )
    assert rows(app) == before


def test_an_update_with_text_that_cannot_be_stored_changes_nothing(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    created = api.entity(cho[0], 0, 5).get_json()["annotation"]
    before = rows(app)

    response = api.client.patch(
        f"/api/v1/annotations/{created['id']}",
        data=escaped({"version": 1, "label": LONE}),
        content_type="application/json",
        headers={"X-CSRFToken": api.token},
    )

    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "label"
    assert rows(app) == before


def test_json_nested_ten_thousand_deep_is_a_400_not_a_500(
    app: Flask, api: Api, cho: tuple[int, str]
) -> None:
    before = rows(app)
    response = api.client.post(
        "/api/v1/annotations",
        data=DEEP,
        content_type="application/json",
        headers={"X-CSRFToken": api.token},
    )
    assert response.status_code == 400
    assert response.get_json()["error"] == {
        "code": "bad_request",
        "message": "The JSON is nested too deeply.",
        "field": None,
    }
    assert rows(app) == before


# --- forms ------------------------------------------------------------------------------------


def every_form_class() -> list[type]:
    from flask_wtf import FlaskForm

    import annotator.admin.forms
    import annotator.auth.forms
    import annotator.profile.forms
    import annotator.tokens.forms  # noqa: F401  (each module defines forms)

    found, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("annotator.")]


def test_every_form_of_the_app_refuses_text_that_cannot_be_stored() -> None:
    from annotator.forms import Form

    forms = every_form_class()
    assert len(forms) > 15
    assert [cls.__name__ for cls in forms if not issubclass(cls, Form)] == []


def json_form_post(client: FlaskClient, path: str, body: Any) -> Any:
    """Flask-WTF fills a form from a JSON body too: the way a lone surrogate reaches a form."""
    token = csrf_token(client, "/profile/")
    raw = body if isinstance(body, str) else escaped(body)
    return client.post(
        path, data=raw, content_type="application/json", headers={"X-CSRFToken": token}
    )


@pytest.mark.parametrize(
    ("who", "path", "body", "field"),
    [
        ("admin", "/admin/projects/new", {"name": f"Desk {LONE}", "slug": "desk"}, "name"),
        ("anna", "/profile/tokens", {"name": f"nightly {LONE}"}, "name"),
        ("anna", "/profile/tokens", {"name": "nightly\x00"}, "name"),
    ],
)
def test_a_form_refuses_text_that_cannot_be_stored_with_a_400_naming_the_field(
    app: Flask, auth: Auth, who: str, path: str, body: dict[str, str], field: str
) -> None:
    auth.login(who)
    before = rows(app)

    response = json_form_post(auth.client, path, {**body, "overlap": 1})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"The field &#39;{field}&#39; holds text that cannot be stored" in page
    assert rows(app) == before


def test_a_form_posted_json_nested_too_deep_is_a_400(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    before = rows(app)
    assert json_form_post(auth.client, "/admin/projects/new", DEEP).status_code == 400
    assert rows(app) == before


# --- importers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "where"),
    [
        ({"title": f"Talks {LONE}", "text": "A paragraph."}, "'title'"),
        ({"title": "Talks", "paragraphs": ["fine", f"bad {LONE}"]}, "'paragraphs.1'"),
        ({"title": "Talks", "text": "x", "meta": {"source": {"url": LONE}}}, "'meta.source.url'"),
        (f"just a string {LONE}", "the record"),
    ],
)
def test_article_jsonl_names_file_line_and_field(record: Any, where: str) -> None:
    data = f'{{"title": "Fine", "text": "ok"}}\n{escaped(record)}\n'.encode()
    with pytest.raises(IngestError) as error:
        parse_jsonl_articles("batch.jsonl", data)
    assert str(error.value) == (
        f"batch.jsonl, line 2: {where} holds text that cannot be stored "
        "(a lone surrogate such as \\ud800, which is not UTF-8, or a NUL character)"
    )


def test_annotation_jsonl_names_file_line_and_field() -> None:
    good = {"text": "Wang pledged", "label": [[0, 4, "PERSON"]]}
    bad = {"text": "Wang pledged", "label": [[0, 4, f"PERSON{LONE}"]]}
    data = f"{escaped(good)}\n{escaped(bad)}\n".encode()
    with pytest.raises(IngestError, match=r"^doccano.jsonl, line 2: 'label.0.2' holds text"):
        parse_annotation_lines("doccano.jsonl", data)


@pytest.mark.parametrize("parse", [parse_jsonl_articles, parse_annotation_lines])
def test_jsonl_nested_too_deep_names_the_line(parse: Any) -> None:
    with pytest.raises(IngestError, match=r"^deep.jsonl, line 3: the JSON is nested too deeply"):
        parse("deep.jsonl", f"\n\n{DEEP}\n".encode())


def test_a_text_file_whose_name_cannot_be_stored_is_refused() -> None:
    name = "caf\udce9.txt"  # how Python names a Latin-1 file name on a UTF-8 system
    with pytest.raises(IngestError, match=r"caf\\udce9.txt: the file name holds text"):
        parse_text_article(name, b"Title\nA paragraph.\n")


@pytest.mark.parametrize(
    ("content", "line"),
    [(b"Title\nA para\x00graph.\n", 2), (b"Ti\x00tle\nA paragraph.\n", 1)],
)
def test_a_text_file_holding_a_nul_character_is_refused_with_its_line(
    content: bytes, line: int
) -> None:
    """Not text, and PostgreSQL's text cannot hold it."""
    with pytest.raises(IngestError) as error:
        parse_text_article("notes.txt", content)
    assert (
        str(error.value)
        == f"notes.txt, line {line}: the line holds a NUL character, which is not text"
    )


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("second_line", "message"),
    [
        (escaped({"title": "Talks", "text": f"Wang {LONE}"}), "line 2: 'text' holds text"),
        (escaped({"title": "Talks", "paragraphs": ["Wang\x00"]}), "line 2: 'paragraphs.0' holds"),
        ('{"title": "Talks", "text": "Wang", "meta": {"score": NaN}}', "line 2: invalid JSON (NaN"),
        (DEEP, "line 2: the JSON is nested too deeply"),
    ],
)
def test_the_import_command_refuses_article_files_and_writes_nothing(
    app: Flask, runner: Any, tmp_path: Path, second_line: str, message: str
) -> None:
    path = write_lines(
        tmp_path / "batch.jsonl", escaped({"title": "Fine", "text": "ok"}), second_line
    )
    before = rows(app)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert f"{path}, {message}" in result.output and "nothing was imported" in result.output
    assert rows(app) == before


@pytest.mark.parametrize(
    ("first_line", "message"),
    [
        (escaped({"text": "Wang pledged", "label": [[0, 4, LONE]]}), "line 1: 'label.0.2' holds"),
        (DEEP, "line 1: the JSON is nested too deeply"),
    ],
)
def test_the_import_command_refuses_annotation_files_and_writes_nothing(
    app: Flask, runner: Any, seed_article: int, tmp_path: Path, first_line: str, message: str
) -> None:
    path = write_lines(tmp_path / "doccano.jsonl", first_line)
    before = rows(app)
    result = runner.invoke(args=["import", str(path), "--as-annotator", "admin"])
    assert result.exit_code == 1
    assert f"{path}, {message}" in result.output
    assert rows(app) == before


def test_an_upload_with_text_that_cannot_be_stored_imports_nothing(app: Flask, auth: Auth) -> None:
    auth.login("admin")
    data = escaped({"title": "Fine", "text": "ok"}) + "\n" + escaped({"title": LONE}) + "\n"
    before = rows(app)
    response = auth.client.post(
        "/admin/projects/default/import",
        data={
            "csrf_token": csrf_token(auth.client, "/profile/"),
            "files": [(io.BytesIO(data.encode()), "batch.jsonl")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "batch.jsonl, line 2: &#39;title&#39; holds text that cannot be stored" in (
        response.get_data(as_text=True)
    )
    assert rows(app) == before
