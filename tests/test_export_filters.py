"""Bad export filters are a 400 with the reason before a byte is sent: never a 500, never a
200 whose stream breaks halfway (which a browser saves as a truncated file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from annotator.export.filters import FilterError, parse_filters
from tests.conftest import Auth
from tests.test_export_support import Seeded, annotate_seed
from tests.test_input_hygiene import rows

BAD = [
    ({"until": "9999-12-31"}, "until", "must be a date no later than 9999-12-30"),
    ({"since": "9999-12-31"}, "since", "must be a date no later than 9999-12-30"),
    ({"since": "2024-05-14", "until": "2024-05-13"}, "until", "must not be before since"),
    ({"by": "article", "format": "spacy"}, "by", "only the native format has one record per"),
    ({"by": "article", "format": "doccano"}, "by", "only the native format"),
    ({"by": "article", "format": "labelstudio"}, "by", "only the native format"),
    ({"by": "article", "format": "conll"}, "by", "only the native format"),
    ({"by": "article", "format": "labelstudio-config"}, "by", "only the native format"),
    ({"by": "sentence"}, "by", "must be one of paragraph, article"),
    ({"status": "finished"}, "status", "must be one of all, done"),
    ({"gold": "perhaps"}, "gold", "must be true or false"),
    ({"until": "2024-02-30"}, "until", "must be a date like 2024-05-13"),
]


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


@pytest.mark.parametrize(("params", "field", "reason"), BAD)
def test_bad_filters_are_refused_before_anything_is_read(
    params: dict[str, str], field: str, reason: str
) -> None:
    with pytest.raises(FilterError) as error:
        parse_filters(params)
    assert error.value.field == field and reason in error.value.message


@pytest.mark.parametrize("path", ["/projects/default/export", "/projects/default/export/count"])
@pytest.mark.parametrize(("params", "field", "reason"), BAD)
def test_bad_filters_are_a_json_400_with_the_reason(
    app: Flask,
    auth: Auth,
    seeded: Seeded,
    path: str,
    params: dict[str, str],
    field: str,
    reason: str,
) -> None:
    auth.login("admin")
    before = rows(app)
    response = auth.client.get(path, query_string=params, headers={"Accept": "application/json"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_filter" and error["field"] == field
    assert reason in error["message"]
    assert rows(app) == before


def test_a_bad_filter_from_the_export_page_gets_the_html_error_page(
    app: Flask, auth: Auth, seeded: Seeded
) -> None:
    auth.login("admin")
    response = auth.client.get("/projects/default/export?by=article&format=spacy")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "only the native format has one record per article" in response.get_data(as_text=True)


def test_the_native_format_still_exports_by_article(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    response = auth.client.get("/projects/default/export?by=article&until=9999-12-30")
    assert response.status_code == 200
    assert response.data.count(b"\n") == 2  # one record each for anna's and bob's article


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--until", "9999-12-31"], "until: must be a date no later than 9999-12-30"),
        (["--by", "article", "--format", "doccano"], "by: only the native format has one"),
    ],
)
def test_the_export_command_refuses_bad_filters_and_writes_no_file(
    app: Flask, runner: Any, seeded: Seeded, tmp_path: Path, options: list[str], message: str
) -> None:
    out = tmp_path / "export.jsonl"
    before = rows(app)
    result = runner.invoke(args=["export", *options, "-o", str(out)])
    assert result.exit_code == 2  # a usage error, like an option click itself refuses
    assert message in result.output
    assert not out.exists()
    assert rows(app) == before
