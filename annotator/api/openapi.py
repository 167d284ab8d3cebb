"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of the API, built from its routes.

Paths and methods come from the URL map, summaries from the views' docstrings, and request
bodies from the very schemas `json_body` validates them with (schemas.accepts), so the
document cannot drift from what the server accepts.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, jsonify
from werkzeug.routing import Rule

from annotator.api import bp
from annotator.api.schemas import query_of, schema_of

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
            },
        }
    },
}
ERRORS = {
    "400": "The body is not a JSON object of the declared shape (error.field names the field).",
    "401": "Not logged in, and no valid API token.",
    "403": "Visible, but this user's role may not do it.",
    "404": "No such object in the projects this user works on.",
    "409": "Changed since the version you read; `current` holds what is stored.",
    "413": "The body is larger than ANNOTATOR_API_MAX_BODY_BYTES.",
    "422": "Well-formed, but breaks an annotation rule (error.field names the field).",
}


@bp.get("/openapi.json")
def openapi() -> Response:
    """This document."""
    return jsonify(document())


def public(endpoint: str | None) -> bool:
    """Whether the API answers this endpoint without a login (only the description)."""
    return endpoint == "api.openapi"


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and not public(rule.endpoint):
            paths.setdefault(_path(rule.rule), {}).update(_operations(rule))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "annotator API",
            "version": "1",
            "description": "The JSON API of annotator (docs/workspace.md#the-json-api).",
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
        "security": [{"token": []}, {"session": []}],
    }


def _path(rule: str) -> str:
    return PARAMETER.sub(r"{\2}", rule)


def _operations(rule: Rule) -> dict[str, Any]:
    view = current_app.view_functions[rule.endpoint]
    summary, _, description = (view.__doc__ or rule.endpoint).strip().partition("\n")
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    return {
        method.lower(): _operation(rule, view, method, summary, " ".join(description.split()))
        for method in methods
    }


def _operation(rule: Rule, view: Any, method: str, summary: str, description: str) -> Any:
    operation: dict[str, Any] = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": summary,
        "parameters": _parameters(rule, view),
        "responses": _responses(method),
    }
    if description:
        operation["description"] = description
    schema = schema_of(view)
    if schema is not None:
        content = {"application/json": {"schema": schema}}
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def _parameters(rule: Rule, view: Any) -> list[dict[str, Any]]:
    found = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer"} if kind == "int" else {"type": "string"},
        }
        for kind, name in PARAMETER.findall(rule.rule)
    ]
    for name, schema in (query_of(view) or {}).items():
        found.append({"name": name, "in": "query", "required": False, "schema": schema})
    return found


def _responses(method: str) -> dict[str, Any]:
    ok = {"description": "Done", "content": {"application/json": {"schema": {"type": "object"}}}}
    responses: dict[str, Any] = {"200": ok}
    if method == "POST":
        responses["201"] = {**ok, "description": "Created"}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for status, why in ERRORS.items():
        responses[status] = {"description": why, "content": error}
    return responses
