"""Label Studio: model work as predictions, and exports Label Studio wrote read back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from annotator.extensions import db
from annotator.formats.registry import parse_annotations
from annotator.ingest import IngestError
from annotator.models import Annotation
from tests.conftest import Auth
from tests.test_export_formats import export
from tests.test_export_round_trip import label_studio_loses, merged, native_views, ordered
from tests.test_export_support import EXPECTED, add_world, annotate_seed


@pytest.fixture
def world(app: Flask, users: dict[str, int]) -> int:
    return add_world(app)


@pytest.fixture
def project(world: int, app: Flask, seed_article: int) -> None:
    annotate_seed(app, seed_article)


def tasks_of(auth: Auth, **params: str) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = json.loads(
        export(auth.client, format="labelstudio", **params).data
    )
    return tasks


def test_label_studio_gets_model_work_as_predictions_not_annotations(
    auth: Auth, world: int
) -> None:
    auth.login("admin")
    first = tasks_of(auth)[0]
    assert first["data"]["annotators"] == ["anna"]  # bob's only entity is a model's
    assert first["data"]["prediction_annotators"] == ["anna", "anna", "bob"]
    assert [p["model_version"] for p in first["predictions"]] == ["senti", "zh-ner", "zh-ner"]
    human = first["annotations"][0]["result"]
    assert "北京" not in [r["value"].get("text") for r in human if r["from_name"] == "label"]
    assert all(r["origin"] == "prediction" for p in first["predictions"] for r in p["result"])


def exported_by_label_studio(task: dict[str, Any]) -> dict[str, Any]:
    """The task as Label Studio 1.23 exports it: its own ids, completed_by, extra fields."""
    annotations = [
        {**a, "id": 100 + n, "completed_by": 1, "task": 7, "lead_time": 3.5, "project": 2}
        for n, a in enumerate(task["annotations"])
    ]
    predictions = [
        {**p, "id": 200 + n, "score": None, "task": 7, "project": 2, "created_ago": "1 minute"}
        for n, p in enumerate(task["predictions"])
    ]
    return {**task, "id": 7, "annotations": annotations, "predictions": predictions, "drafts": []}


def test_a_label_studio_export_reads_back_with_line_numbers_and_skips_cancelled_work(
    auth: Auth, world: int
) -> None:
    auth.login("admin")
    task = exported_by_label_studio(tasks_of(auth)[0])
    extra = {**task["annotations"][0], "id": 150, "completed_by": 3}  # made in Label Studio
    cancelled = {**extra, "id": 151, "was_cancelled": True, "result": []}
    task["annotations"] += [extra, cancelled]
    data = json.dumps([task, task], indent=2, ensure_ascii=False).encode()
    parsed = parse_annotations("project-2.json", data)
    second_line = data.decode().splitlines().index("  {", 2) + 1
    assert [d.line for d in parsed.drafts] == [2] * 5 + [second_line] * 5
    assert [d.annotator for d in parsed.drafts[:5]] == ["anna", None, "anna", "anna", "bob"]
    assert parsed.skipped == [
        (2, "task 7: annotation 3 was cancelled"),
        (second_line, "task 7: annotation 3 was cancelled"),
    ]


def test_a_result_from_another_labeling_config_is_refused_with_its_line(
    auth: Auth, world: int
) -> None:
    auth.login("admin")
    task = tasks_of(auth)[0]
    task["annotations"][0]["result"].append(
        {
            "id": "x",
            "from_name": "mood",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["ok"]},
        }
    )
    data = ("[\n" + json.dumps(task) + "\n]\n").encode()
    with pytest.raises(
        IngestError, match="tasks.json, line 2: .* task 1 .*'mood' is not a control"
    ):
        parse_annotations("tasks.json", data)


def test_a_claimant_relation_drawn_in_label_studio_names_the_entity(auth: Auth, world: int) -> None:
    auth.login("admin")
    task = tasks_of(auth)[0]
    result = task["annotations"][0]["result"]
    region = {
        (r["from_name"], r["value"]["text"]): r["id"] for r in result if r["type"] == "labels"
    }
    entity_id = region[("label", "Seoul’s ministry")]
    claim_id = region[("claim", "Seoul’s ministry disagreed")]
    result.append(
        {
            "from_id": entity_id,
            "to_id": claim_id,
            "type": "relation",
            "direction": "left",
            "labels": [],
        }
    )
    (draft, *_) = parse_annotations("tasks.json", json.dumps([task]).encode()).drafts
    opinion = draft.claims[1]
    entity = next(
        e for e in draft.entities if e.old_id == opinion.attributes["claimant"]["entity_id"]
    )
    assert opinion.attributes["claimant"]["text"] == draft.text[entity.start : entity.end]
    assert opinion.attributes["claimant"]["text"] == "Seoul’s ministry"


def test_predictions_exported_as_ids_only_are_counted_as_skipped(auth: Auth, world: int) -> None:
    """Label Studio's plain export endpoint lists predictions by id; its snapshots in full."""
    auth.login("admin")
    task = exported_by_label_studio(tasks_of(auth)[0])
    task["predictions"] = [p["id"] for p in task["predictions"]]
    parsed = parse_annotations("export.json", json.dumps([task]).encode())
    assert [d.prediction for d in parsed.drafts] == [None]
    assert parsed.skipped == [(1, "task 7: 3 prediction(s) exported as ids only")]


def test_a_real_label_studio_export_reads_back_as_we_sent_it(auth: Auth, project: None) -> None:
    """Label Studio 1.23.2 imported our tasks; a user then annotated task 1 and skipped task 2.

    The file is its export snapshot with predictions in full (see docs/export.md).
    """
    auth.login("admin")
    parsed = parse_annotations(
        "ls.json", (EXPECTED / "labelstudio-1.23.2-export.json").read_bytes()
    )
    ours = [d for d in parsed.drafts if d.annotator is not None]
    assert merged(ours) == ordered([label_studio_loses(v) for v in native_views(auth)])
    (theirs,) = [d for d in parsed.drafts if d.annotator is None]
    assert [(e.text, e.label) for e in theirs.entities] == [("北京", "GPE")]
    assert theirs.claims[0].attributes["claimant"]["text"] == "北京"
    assert theirs.sentiment == "mixed"
    assert parsed.skipped == [(1, "task 2: annotation 2 was cancelled")]


def test_gold_goes_to_label_studio_as_ground_truth_and_reads_back_as_gold(
    app: Flask, auth: Auth, world: int
) -> None:
    with app.app_context():
        for annotation in db.session.scalars(db.select(Annotation)):
            annotation.is_gold = True
        db.session.commit()
    auth.login("admin")
    task = tasks_of(auth, gold="true")[0]
    assert task["data"]["annotators"] == [None]
    assert [a["ground_truth"] for a in task["annotations"]] == [True]
    starred = {**task["annotations"][0], "id": 9}  # a Label Studio user's ground truth star
    task["annotations"].append(starred)
    drafts = parse_annotations("tasks.json", json.dumps([task]).encode()).drafts
    assert [(d.annotator, d.status, d.prediction) for d in drafts[:2]] == [
        (None, "done", None),
        (None, None, None),
    ]
