"""Request bodies of the JSON API, read into service inputs; bad shapes name the field."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from annotator.access import NotVisible
from annotator.annotations import AnnotationError, AnnotationInput
from annotator.api.schemas import schema_of
from annotator.bodies import NestedTooDeeply
from annotator.routing import storable_id
from annotator.text import unstorable_path

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

ANNOTATION_FIELDS = {"paragraph_id", "layer", "start", "end", "label", "attributes", "text"}
UPDATE_FIELDS = ANNOTATION_FIELDS - {"paragraph_id"} | {"version"}


def bad_request(message: str, field: str | None = None) -> AnnotationError:
    return AnnotationError(400, "bad_request", message, field)


def limit_body_size() -> None:
    """Refuse bodies over API_MAX_BODY_BYTES before they are read: a 413, nothing parsed."""
    limit = current_app.config["API_MAX_BODY_BYTES"]
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge(f"Request bodies are limited to {limit} bytes.")
    request.max_content_length = limit


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with it (and where)."""
    if not request.is_json:
        raise bad_request("Send a JSON object with Content-Type: application/json.")
    body = _parsed()
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    path = unstorable_path(body)
    if path is not None:
        raise bad_request(
            f"{path} holds text that cannot be stored (a lone surrogate such as \\ud800, "
            "which is not UTF-8, or a NUL character). Send valid Unicode text.",
            path,
        )
    _check_shape(body)
    return body


def _check_shape(body: dict[str, Any]) -> None:
    """The body against the schema its view declares (schemas.accepts): a 400 naming the
    first field that is wrong."""
    validator = _validator(current_app.view_functions.get(request.endpoint or ""))
    if validator is None:
        return
    schema = validator.schema
    error = min(validator.iter_errors(body), key=_error_order, default=None)
    if error is not None:
        field, message = _explained(error, body, schema)
        raise bad_request(message, field)


@functools.cache
def _validator(view: Callable[..., Any] | None) -> Draft202012Validator | None:
    """The validator of the schema the view declares, built once per view: building it on
    every request cost a twentieth of a save's CPU. jsonschema is imported here, by the first
    body checked, not by the server's start (a twentieth of it)."""
    from jsonschema import Draft202012Validator

    schema = schema_of(view)
    return Draft202012Validator(schema) if schema is not None else None


def _error_order(error: ValidationError) -> tuple[int, str]:
    return (len(error.path), str(list(error.path)))


def _explained(
    error: ValidationError, body: dict[str, Any], schema: dict[str, Any]
) -> tuple[str | None, str]:
    if error.validator == "additionalProperties":
        unknown = sorted(set(body) - set(schema.get("properties", {})))[0]
        return unknown, f"Unknown field {unknown!r}."
    if error.validator == "required":
        missing = next(name for name in error.validator_value if name not in body)
        return missing, f"{missing} is required."
    field = ".".join(str(part) for part in error.path) or None
    if error.validator == "type":
        kinds = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        return field, f"{field} must be {' or '.join(kinds)}."
    if error.validator == "enum":
        return field, f"{field} must be one of {', '.join(map(str, error.validator_value))}."
    return field, f"{field}: {error.message}"


def _parsed() -> Any:
    """The parsed body, None when it is not JSON; nesting too deep for the parser is a 400."""
    try:
        return current_app.json.loads(request.get_data())
    except NestedTooDeeply:
        raise bad_request("The JSON is nested too deeply.") from None
    except ValueError:  # not JSON, or not UTF-8
        return None


def annotation_input(body: dict[str, Any], allowed: set[str]) -> AnnotationInput:
    """Only known fields; text and label must be strings, attributes an object."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise bad_request(f"Unknown field {unknown[0]!r}.", unknown[0])
    for name in ("label", "text", "layer"):
        if name in body and not isinstance(body[name], str):
            raise bad_request(f"{name} must be a string.", name)
    if "attributes" in body and not isinstance(body["attributes"], dict):
        raise bad_request("attributes must be an object.", "attributes")
    return AnnotationInput(
        layer=body.get("layer"),
        start=body.get("start"),
        end=body.get("end"),
        label=body.get("label"),
        attributes=body.get("attributes"),
        text=body.get("text"),
        given=set(body),
    )


def integer_field(body: dict[str, Any], name: str) -> int:
    """An id sent in the body; one the database could not even hold is simply not there."""
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnnotationError(422, "invalid", f"{name} must be an integer.", name)
    if not storable_id(value):
        raise NotVisible(name.removesuffix("_id"))
    return value
