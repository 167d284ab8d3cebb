"""A record whose shape no reader may guess at is refused with its file and line, in every
format: a person who is not a name, a status not ours, span ids that are not ids or are
given twice, a claimant that is not an object, booleans as offsets, two sentiments for one
paragraph. Nothing of the file is stored. (A target or claimant naming the wrong entity is
the rules' to refuse, alike for the API and every importer: tests/test_rule_parity.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotator.extensions import db
from annotator.models import Annotation
from tests.conftest import import_text

TEXT = "Wang Yi met Cho in Seoul."
WANG = {"id": 1, "start": 0, "end": 7, "label": "PERSON", "text": "Wang Yi"}
CHO = {"id": 2, "start": 12, "end": 15, "label": "PERSON", "text": "Cho"}


@pytest.fixture
def talks(app: Flask, users: dict[str, int]) -> int:
    return import_text(app, "talks.txt", f"Talks\n{TEXT}\n")


def native(**changes: Any) -> dict[str, Any]:
    """anna's native record of the one paragraph, with `changes`."""
    record = {
        "format_version": 1,
        "project": "default",
        "article": {"id": 1, "external_id": None, "title": "Talks", "source": None},
        "paragraph_index": 0,
        "text": TEXT,
        "entities": [WANG, CHO],
        "claims": [],
        "sentiment": {"label": "neutral", "targets": []},
        "annotator": "anna",
        "gold": False,
        "status": "done",
        "updated_at": None,
    }
    return {**record, **changes}


def claim(claimant: Any) -> dict[str, Any]:
    return {
        "id": 3,
        "start": 0,
        "end": 15,
        "type": "factual",
        "text": TEXT[:15],
        "attribution": None,
        "claimant": claimant,
        "checkworthy": None,
    }


def doccano(**changes: Any) -> dict[str, Any]:
    return {"text": TEXT, "label": [[0, 7, "PERSON"]], "cats": ["neutral"], **changes}


def relations(*entities: dict[str, Any]) -> dict[str, Any]:
    """A doccano relation-project example whose spans are `entities`."""
    return {"text": TEXT, "entities": list(entities), "relations": [], "cats": ["neutral"]}


def task(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A Label Studio export of one task with one annotation."""
    return [{"id": 1, "data": {"text": TEXT, **data}, "annotations": [{"result": []}]}]


def entity_offsets(start: Any, end: Any) -> dict[str, Any]:
    return {"id": 1, "start_offset": start, "end_offset": end, "label": "PERSON"}


CASES = {
    "a person who is a number": (native(annotator=5), "'annotator' must be a name"),
    "a status not ours": (native(status="bogus"), "'status' must be one of"),
    "two spans with one id": (
        native(entities=[WANG, {**CHO, "id": 1}]),
        "span id 1 is given to two spans",
    ),
    "a span id that is a list": (native(entities=[{**WANG, "id": [1]}]), "integers or strings"),
    "a claimant that is a name": (native(claims=[claim("bob")]), "'claimant' must be an object"),
    "a claimant id that is a float": (
        native(claims=[claim({"entity_id": 1.0, "text": "Wang Yi"})]),
        "a claimant's entity_id must be integers or strings",
    ),
    "a target id that is a float": (
        native(sentiment={"label": None, "targets": [{"entity_id": 1.0, "label": "positive"}]}),
        "a sentiment target's entity_id must be integers or strings",
    ),
    "a doccano offset that is a boolean": (
        doccano(label=[[True, 7, "PERSON"]]),
        "offsets must be integers",
    ),
    "a doccano entity offset that is a boolean": (
        relations(entity_offsets(False, True)),
        "offsets must be integers",
    ),
    "two doccano entities with one id": (
        relations(entity_offsets(0, 7), entity_offsets(12, 15)),
        "span id 1 is given to two spans",
    ),
    "two sentiments in doccano's cats": (
        doccano(cats=["positive", "negative"]),
        "'cats' names 2 sentiments; a paragraph has one",
    ),
    "two sentiments in a doccano classification": (
        doccano(label=["positive", "negative"]),
        "'label' names 2 sentiments; a paragraph has one",
    ),
    "two sentiments in spaCy's cats": (
        {"text": TEXT, "spans": [], "cats": {"positive": 1.0, "negative": 0.9}},
        "'cats' names 2 sentiments; a paragraph has one",
    ),
}


@pytest.mark.parametrize("record, message", CASES.values(), ids=list(CASES))
def test_a_record_no_reader_may_guess_at_is_refused_with_its_line(
    app: Flask, talks: int, runner: Any, tmp_path: Path, record: dict[str, Any], message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    as_annotator = [] if "format_version" in record else ["--as-annotator", "anna"]

    result = runner.invoke(args=["import", str(path), *as_annotator])

    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}, line 1: malformed" in result.output and message in result.output
    assert stored(app) == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({"annotators": "anna"}, "'data.annotators' must be a list of names"),
        ({"annotators": [5]}, "'annotator' must be a name"),
        ({"prediction_annotators": "anna"}, "'data.prediction_annotators' must be a list"),
    ],
)
def test_a_label_studio_task_naming_people_wrongly_is_refused_with_its_line(
    app: Flask, talks: int, runner: Any, tmp_path: Path, data: dict[str, Any], message: str
) -> None:
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(task(data)), encoding="utf-8")

    result = runner.invoke(args=["import", str(path), "--as-annotator", "anna"])

    assert result.exit_code == 1, result.output
    assert f"{path}, line 1: malformed Label Studio task 1" in result.output
    assert message in result.output
    assert stored(app) == 0


def test_the_well_formed_record_these_start_from_is_imported(
    app: Flask, talks: int, runner: Any, tmp_path: Path
) -> None:
    path = tmp_path / "good.jsonl"
    target = {"label": "neutral", "targets": [{"entity_id": 2, "label": "positive"}]}
    good = native(claims=[claim({"entity_id": 1, "text": "Wang Yi"})], sentiment=target)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code == 0, result.output
    assert stored(app) == 5  # two entities, the claim, two sentiments


def stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Annotation)) or 0
