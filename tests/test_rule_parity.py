"""Every annotation rule refuses the same way through the API and through every importer.

Each case is one paragraph's annotations, one of them breaking a rule. The API gets them one
request at a time (as bob); each file format that can carry the case gets them as one record
(for anna). The refusal must name the same field with the same message, and nothing of the
import may be stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation, Paragraph
from tests.api_helpers import CHO, Api, api_for, span_of
from tests.conftest import SEED, Auth

EXTERNAL_ID = SEED.stem
WANG = "Wang Yi"


@dataclass
class Case:
    """Annotations of one paragraph, the last one breaking the rule under test."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    sentiment: str | None = None
    targets: list[tuple[int, str]] = field(default_factory=list)
    boilerplate: bool = False
    formats: tuple[str, ...] = ("native", "spacy", "doccano", "labelstudio")


def entity(eid: int, start: int, end: int, label: str = "PERSON", **more: Any) -> dict[str, Any]:
    return {"id": eid, "start": start, "end": end, "label": label, **more}


def claim(start: int, end: int, kind: str = "factual", **attributes: Any) -> dict[str, Any]:
    base = {"attribution": None, "claimant": None, "checkworthy": None}
    return {"id": 50, "start": start, "end": end, "type": kind, **base, **attributes}


def cases(text: str) -> dict[str, Case]:
    cho, wang = span_of(text, CHO), span_of(text, WANG)
    sentence = (0, text.index(".") + 1)
    long_name = "x" * 501
    return {
        "entity label outside the schema": Case([entity(1, *cho, "VILLAIN")]),
        "offsets past the text": Case([entity(1, 0, len(text) + 5)]),
        "span text that is not the text": Case(
            [entity(1, *cho, text="Bloomberg")], formats=("native",)
        ),
        "overlapping entity spans": Case([entity(1, *cho), entity(2, cho[0] + 4, wang[1])]),
        "claim type outside the schema": Case(claims=[claim(*sentence, "rumour")]),
        "attribution outside the schema": Case(
            claims=[claim(*sentence, attribution="hearsay")], formats=("native", "spacy")
        ),
        "check-worthiness outside the schema": Case(
            claims=[claim(*sentence, checkworthy="maybe")], formats=("native", "spacy")
        ),
        "claimant with no name": Case(
            claims=[claim(*sentence, claimant={"entity_id": None, "text": "  "})],
            formats=("native", "spacy"),
        ),
        "claimant name over 500 characters": Case(
            claims=[claim(*sentence, claimant={"entity_id": None, "text": long_name})],
            formats=("native", "spacy"),
        ),
        "claimant that is not an entity of the article": Case(
            claims=[claim(*sentence, claimant={"entity_id": 99, "text": ""})],
            formats=("native", "spacy"),
        ),
        "sentiment outside the schema": Case(sentiment="ecstatic"),
        "sentiment on a boilerplate paragraph": Case(sentiment="neutral", boilerplate=True),
        "two sentiments towards one entity": Case(
            [entity(1, *cho)], targets=[(1, "positive"), (1, "negative")], formats=("native",)
        ),
        "sentiment towards no entity of the paragraph": Case(
            targets=[(42, "positive")], formats=("native",)
        ),
    }


def paragraph(app: Flask, article_id: int, boilerplate: bool) -> tuple[int, int, str]:
    """Id, position and text of the Cho paragraph, or of the first boilerplate paragraph."""
    with app.app_context():
        query = select(Paragraph).where(Paragraph.article_id == article_id)
        if boilerplate:
            query = query.where(Paragraph.is_boilerplate.is_(True))
        else:
            query = query.where(Paragraph.text.contains(CHO))
        found = db.session.scalars(query.order_by(Paragraph.position)).first()
        assert found is not None
        return found.id, found.position, found.text


# --- through the API ----------------------------------------------------------------------


def api_refusal(api: Api, pid: int, case: Case) -> tuple[str, str]:
    """Send the case request by request; the field and message of the first refusal."""
    ids: dict[int, int] = {}
    for e in case.entities:
        body = {"paragraph_id": pid, "layer": "entity", **_span(e)}
        if "text" in e:
            body["text"] = e["text"]
        response = api.create(**body)
        if response.status_code >= 400:
            return _error(response)
        ids[e["id"]] = response.get_json()["annotation"]["id"]
    for c in case.claims:
        claimant = c["claimant"]
        if claimant and claimant["entity_id"] is not None:
            claimant = {**claimant, "entity_id": ids.get(claimant["entity_id"], 999_999)}
        attributes = {"attribution": c["attribution"], "claimant": claimant}
        attributes["checkworthy"] = c["checkworthy"]
        response = api.create(
            paragraph_id=pid, layer="claim", label=c["type"], attributes=attributes,
            start=c["start"], end=c["end"],
        )  # fmt: skip
        if response.status_code >= 400:
            return _error(response)
    if case.sentiment is not None:
        response = api.send("PUT", f"/paragraphs/{pid}/sentiment", {"label": case.sentiment})
        if response.status_code >= 400:
            return _error(response)
    for target, label in case.targets:
        attributes = {"target_id": ids.get(target, 999_999)}
        response = api.create(
            paragraph_id=pid, layer="sentiment", label=label, attributes=attributes
        )
        if response.status_code >= 400:
            return _error(response)
    raise AssertionError("the API accepted every annotation of the case")


def _span(e: dict[str, Any]) -> dict[str, Any]:
    return {"start": e["start"], "end": e["end"], "label": e["label"]}


def _error(response: Any) -> tuple[str, str]:
    assert response.status_code in (409, 422), response.get_json()
    error = response.get_json()["error"]
    return error["field"], error["message"]


# --- through the importers ----------------------------------------------------------------


def native_line(case: Case, position: int, text: str) -> dict[str, Any]:
    entities = [{"text": text[e["start"] : e["end"]], **e} for e in case.entities]
    claims = [{"text": text[c["start"] : c["end"]], **c} for c in case.claims]
    targets = [{"entity_id": t, "label": label} for t, label in case.targets]
    sentiment = {"label": case.sentiment, "targets": targets}
    return {
        "format_version": 1,
        "article": {"external_id": EXTERNAL_ID, "title": "t"},
        "paragraph_index": position,
        "text": text,
        "entities": entities,
        "claims": claims,
        "sentiment": sentiment if case.sentiment or targets else None,
        "annotator": "anna",
        "gold": False,
        "status": "in_progress",
    }


def spacy_line(case: Case, position: int, text: str) -> dict[str, Any]:
    claims = [{**c, "label": c["type"]} for c in case.claims]
    return {
        "text": text,
        "spans": [_span(e) | {"id": e["id"]} for e in case.entities],
        "claims": claims,
        "cats": {case.sentiment: 1.0} if case.sentiment else {},
        "meta": {"external_id": EXTERNAL_ID, "paragraph_index": position},
    }


def doccano_line(case: Case, position: int, text: str) -> dict[str, Any]:
    spans = [
        {"id": e["id"], "start_offset": e["start"], "end_offset": e["end"], "label": e["label"]}
        for e in case.entities
    ] + [
        {"id": 50 + i, "start_offset": c["start"], "end_offset": c["end"], "label": claim_label}
        for i, c in enumerate(case.claims)
        for claim_label in [f"CLAIM:{c['type']}"]
    ]
    return {
        "text": text,
        "entities": spans,
        "relations": [],
        "cats": [case.sentiment] if case.sentiment else [],
        "meta": {"external_id": EXTERNAL_ID, "paragraph_index": position},
    }


def labelstudio_task(case: Case, position: int, text: str) -> list[dict[str, Any]]:
    """A Label Studio export of one task, as our labeling config names its controls."""

    def region(rid: str, control: str, span: dict[str, Any], label: str) -> dict[str, Any]:
        value = {"start": span["start"], "end": span["end"], "labels": [label]}
        return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
                "value": value}  # fmt: skip

    result = [region(f"e{e['id']}", "label", e, e["label"]) for e in case.entities]
    result += [region(f"c{i}", "claim", c, c["type"]) for i, c in enumerate(case.claims)]
    if case.sentiment:
        result.append(
            {
                "id": "s",
                "from_name": "sentiment",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [case.sentiment]},
            }  # fmt: skip
        )
    data = {"text": text, "external_id": EXTERNAL_ID, "paragraph_index": position}
    return [
        {"id": 1, "data": {**data, "annotators": ["anna"]}, "annotations": [{"result": result}]}
    ]


LINES = {
    "native": native_line,
    "spacy": spacy_line,
    "doccano": doccano_line,
    "labelstudio": labelstudio_task,
}


def import_refusal(runner: Any, tmp_path: Path, kind: str, record: Any) -> str:
    suffix = "json" if kind == "labelstudio" else "jsonl"
    path = tmp_path / f"case.{kind}.{suffix}"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    own_names = ("native", "labelstudio")
    args = ["import", str(path)] + ([] if kind in own_names else ["--as-annotator", "anna"])
    result = runner.invoke(args=args)
    assert result.exit_code != 0, result.output
    return str(result.output)


def annotations_of(app: Flask, username_id: int) -> int:
    with app.app_context():
        query = select(func.count()).where(Annotation.annotator_id == username_id)
        return db.session.scalar(query.select_from(Annotation)) or 0


CASES = list(cases(SEED.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", CASES)
def test_api_and_every_importer_refuse_a_broken_rule_alike(
    app: Flask,
    client: FlaskClient,
    auth: Auth,
    users: dict[str, int],
    seed_article: int,
    runner: Any,
    tmp_path: Path,
    name: str,
) -> None:
    _, _, cho_text = paragraph(app, seed_article, boilerplate=False)
    case = cases(cho_text)[name]
    pid, position, text = paragraph(app, seed_article, case.boilerplate)

    field_name, message = api_refusal(api_for(client, auth, "bob"), pid, case)

    for kind in case.formats:
        output = import_refusal(runner, tmp_path, kind, LINES[kind](case, position, text))
        assert f": {field_name}: {message}" in output, (kind, output)
        assert annotations_of(app, users["anna"]) == 0, kind
