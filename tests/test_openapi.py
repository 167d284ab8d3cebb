"""/api/v1/openapi.json describes the whole API from the schemas that validate its bodies,
and a fuzzer driven by it finds no server error and no answer outside the description."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from annotator.api.schemas import NEW_ANNOTATION, schema_of
from tests.conftest import SEED, Auth, csrf_token, import_text
from tests.live_server import free_port, logged_in_headers, running, server_env

DOCS = Path(__file__).resolve().parents[1] / "docs" / "workspace.md"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12  # per operation and mode: the run stays well under a minute


def test_the_description_is_public_and_covers_every_api_route(app: Flask, client: FlaskClient):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    routes = {
        (rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}"), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert described == routes
    assert len(routes) >= 18


def test_request_bodies_are_the_schemas_that_validate_them(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/api/v1/annotations"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == NEW_ANNOTATION
    status = document["paths"]["/api/v1/articles/{article_id}/status"]["put"]
    assert status["requestBody"]["content"]["application/json"]["schema"]["required"] == ["status"]


def test_a_list_as_status_is_a_400_naming_the_field(
    client: FlaskClient, auth: Auth, seed_article: int
) -> None:
    auth.login("anna")
    response = client.put(
        f"/api/v1/articles/{seed_article}/status",
        json={"status": ["done"]},
        headers={"X-CSRFToken": csrf_token(client, "/projects/default/")},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == "status"


def test_the_api_section_of_the_docs_links_the_description() -> None:
    section = DOCS.read_text().split("### The JSON API", 1)[1]
    assert "/api/v1/openapi.json" in section


# --- ids the database cannot hold ---------------------------------------------------------


def _int_routes(app: Flask) -> list[tuple[str, str]]:
    return sorted(
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if "<int:" in rule.rule
        for method in rule.methods or ()
        if method in ("GET", "POST", "PUT", "PATCH", "DELETE")
    )


@pytest.mark.parametrize("beyond", [0, 1, 2**31, 2**63, 2**64])
def test_an_id_beyond_the_database_range_is_404_on_every_route(
    app: Flask, client: FlaskClient, auth: Auth, beyond: int
) -> None:
    """Every <int:...> route, page or API: the largest id the database holds and anything
    past it (PostgreSQL from 2^31, SQLite from 2^63) are the 404 of a missing id."""
    largest = app.config["LARGEST_ID"]
    value = largest + beyond if beyond < 2 else beyond
    auth.login("admin")
    token = csrf_token(client, "/projects/default/")
    answers = {}
    for rule, method in _int_routes(app):
        url = rule.replace("<slug>", "default")
        for name in ("article_id", "paragraph_id", "annotation_id", "user_id", "token_id"):
            url = url.replace(f"<int:{name}>", str(value))
        body = _valid_body(app, rule, method) if rule.startswith("/api/") else None
        response = client.open(url, method=method, json=body, headers={"X-CSRFToken": token})
        answers[(method, rule)] = response.status_code
    assert len(answers) >= 25
    assert {key: code for key, code in answers.items() if code != 404} == {}


def _valid_body(app: Flask, rule: str, method: str) -> dict[str, Any]:
    """The required fields of the view's declared body, so the lookup is what answers."""
    endpoint = next(
        r.endpoint
        for r in app.url_map.iter_rules()
        if r.rule == rule and method in (r.methods or ())
    )
    schema = schema_of(app.view_functions[endpoint]) or {}
    samples = {"string": "x", "integer": 1, "object": {}}
    return {
        name: samples.get(str(schema["properties"][name]["type"]))
        for name in schema.get("required", [])
    }


def test_a_body_id_beyond_the_database_range_is_404(api: Any, seed_article: int) -> None:
    for paragraph_id in (2**31, 2**63, -(2**63) - 1):
        body = {"paragraph_id": paragraph_id, "layer": "entity", "start": 0, "end": 1}
        response = api.create(**body, label="PERSON")
        assert response.status_code == 404, paragraph_id


# --- schemathesis against a live server ---------------------------------------------------


@pytest.fixture
def live(app: Flask, users: dict[str, int], migrated: str, tmp_path: Path) -> Iterator[str]:
    import_text(app, SEED.name, SEED.read_text(encoding="utf-8"))
    port = free_port()
    command = [*_gunicorn(port)]
    with running(command, server_env(migrated), f"http://127.0.0.1:{port}", tmp_path / "log"):
        yield f"http://127.0.0.1:{port}"


def _gunicorn(port: int) -> list[str]:
    import sys

    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4"]
    return [*command, "--bind", f"127.0.0.1:{port}", "annotator:create_app()"]


def test_schemathesis_finds_no_server_error_and_no_answer_off_the_description(
    live: str,
) -> None:
    schema = schemathesis.openapi.from_url(f"{live}/api/v1/openapi.json")
    headers = logged_in_headers(live, "admin")
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                case.call_and_validate(base_url=live, headers=headers, checks=CHECKS)

            try:
                check()
            except Exception as exc:  # noqa: BLE001  (collect every operation's failure)
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert failures == []
