"""Label Studio: every annotation is a person's (accepted model work too), Label Studio's
predictions read back apart, and exports Label Studio wrote read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from annotator.extensions import db
from annotator.formats.drafts import RecordDraft
from annotator.formats.registry import parse_annotations
from annotator.ingest import IngestError
from annotator.models import Annotation, ArticleReview, Suggestion
from tests.conftest import Auth, import_text
from tests.test_export_formats import export
from tests.test_export_round_trip import native_views, ordered, view
from tests.test_export_support import EXPECTED, WORLD_TEXT, add_world, annotate_seed


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


def test_accepted_model_work_is_the_persons_annotation_taken_from_a_prediction(
    auth: Auth, world: int
) -> None:
    """A "model:NAME" annotation has an owner who accepted it: it is their training data."""
    auth.login("admin")
    first = tasks_of(auth)[0]
    assert first["data"]["annotators"] == ["anna", "bob"]  # bob's only entity is a model's
    assert first["predictions"] == []
    anna, bob = (annotation["result"] for annotation in first["annotations"])
    entities = {r["value"]["text"]: r["origin"] for r in anna if r.get("from_name") == "label"}
    assert entities == {"北京": "prediction", "Monday": "manual", "Seoul’s ministry": "manual"}
    (sentiment,) = [r for r in anna if r.get("from_name") == "sentiment"]
    assert sentiment["origin"] == "prediction"  # model:senti
    assert [(r["value"]["text"], r["origin"]) for r in bob] == [("北京", "prediction")]


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
    assert [d.line for d in parsed.drafts] == [2] * 3 + [second_line] * 3
    assert [d.annotator for d in parsed.drafts[:3]] == ["anna", "bob", None]
    assert parsed.skipped == [
        (2, "task 7: annotation 4 was cancelled"),
        (second_line, "task 7: annotation 4 was cancelled"),
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


def with_a_prediction(task: dict[str, Any]) -> dict[str, Any]:
    """The task with what an ML backend might have predicted for it: anna's first entity."""
    (region, *_) = task["annotations"][0]["result"]
    prediction = {"model_version": "ner-v3", "result": [{**region, "origin": "prediction"}]}
    return {**task, "predictions": [prediction]}


def test_label_studio_predictions_read_back_as_a_models_not_anyones(auth: Auth, world: int) -> None:
    auth.login("admin")
    task = with_a_prediction(tasks_of(auth)[0])
    parsed = parse_annotations("export.json", json.dumps([task]).encode())
    *people, predicted = parsed.drafts
    assert [(d.annotator, d.prediction) for d in people] == [("anna", None), ("bob", None)]
    assert (predicted.annotator, predicted.prediction) == (None, "ner-v3")
    assert [(e.text, e.source) for e in predicted.entities] == [("北京", "model:ner-v3")]


def test_a_plain_import_keeps_predictions_apart_and_as_predictions_stores_them(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    import_text(app, "world.txt", WORLD_TEXT)
    text = WORLD_TEXT.splitlines()[1]
    value = {"start": 0, "end": 2, "text": "北京", "labels": ["GPE"]}
    region = {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
    prediction = {"model_version": "ner-v3", "result": [{**region, "origin": "prediction"}]}
    task = {"id": 1, "data": {"text": text}, "annotations": [], "predictions": [prediction]}
    path = tmp_path / "project-1.json"
    path.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")

    plain = runner.invoke(args=["import", str(path)])

    assert plain.exit_code == 0, plain.output
    assert "Kept apart 1 model prediction record(s)" in plain.output
    assert stored(app) == ([], [])
    suggested = runner.invoke(args=["import", str(path), "--as-predictions", "ner-v3"])
    assert suggested.exit_code == 0, suggested.output
    assert stored(app) == ([], [("import:ner-v3", "GPE", "北京")])


def stored(app: Flask) -> tuple[list[Any], list[tuple[str, str, str]]]:
    with app.app_context():
        annotations = list(db.session.scalars(select(Annotation)))
        rows = db.session.scalars(select(Suggestion)).all()
        return annotations, [(s.source, s.label, s.text) for s in rows]


def test_predictions_exported_as_ids_only_are_counted_as_skipped(auth: Auth, world: int) -> None:
    """Label Studio's plain export endpoint lists predictions by id; its snapshots in full."""
    auth.login("admin")
    task = exported_by_label_studio(with_a_prediction(tasks_of(auth)[0]))
    task["predictions"] = [p["id"] for p in task["predictions"]]
    parsed = parse_annotations("export.json", json.dumps([task]).encode())
    assert [d.prediction for d in parsed.drafts] == [None, None]
    assert parsed.skipped == [(1, "task 7: 1 prediction(s) exported as ids only")]


def test_a_real_label_studio_export_reads_back_as_we_sent_it(auth: Auth, project: None) -> None:
    """Label Studio 1.23.2 imported our tasks; a user then annotated task 1 and skipped task 2.

    The file is its export snapshot with predictions in full (see docs/export.md), of tasks
    written when accepted model work went out as predictions: it still shows that Label
    Studio keeps predictions and that they read back apart, as a model's.
    """
    auth.login("admin")
    parsed = parse_annotations(
        "ls.json", (EXPECTED / "labelstudio-1.23.2-export.json").read_bytes()
    )
    ours = [d for d in parsed.drafts if d.annotator is not None]
    assert merged(ours) == ordered([as_predictions_were(v) for v in native_views(auth)])
    (theirs,) = [d for d in parsed.drafts if d.annotator is None]
    assert [(e.text, e.label) for e in theirs.entities] == [("北京", "GPE")]
    assert theirs.claims[0].attributes["claimant"]["text"] == "北京"
    assert theirs.sentiment == "mixed"
    assert parsed.skipped == [(1, "task 2: annotation 2 was cancelled")]


def merged(drafts: list[RecordDraft]) -> list[dict[str, Any]]:
    """A person's annotation and the predictions stored for them, as one view per paragraph."""
    views: dict[tuple[Any, Any], dict[str, Any]] = {}
    for v in map(view, drafts):
        key = (v["where"], v["annotator"])
        into = views.setdefault(key, {**v, "entities": [], "claims": [], "targets": []})
        for part in ("entities", "claims", "targets"):
            into[part] = sorted(into[part] + v[part])
        if v["sentiment"][0]:
            into["sentiment"] = v["sentiment"]
    return ordered(list(views.values()))


def as_predictions_were(v: dict[str, Any]) -> dict[str, Any]:
    """What the real export's tasks carried: model work apart, as predictions, with its
    source; a person's source unstated; no link between a person's region and a model's."""
    human = {e[:2] for e in v["entities"] if not (e[4] or "").startswith("model:")}
    spans = {e[:2]: e[4] for e in v["entities"]}

    def source(value: str | None) -> str | None:
        return value if value and value.startswith("model:") else None

    claims = []
    for start, end, kind, src, attribution, checkworthy, claimant in v["claims"]:
        if claimant and claimant[0] is not None and (claimant[0] in human) != (source(src) is None):
            claimant = (None, claimant[1])
        claims.append((start, end, kind, source(src), attribution, checkworthy, claimant))
    return {
        **v,
        "entities": [(*e[:4], source(e[4])) for e in v["entities"]],
        "claims": sorted(claims),
        "sentiment": (v["sentiment"][0], source(v["sentiment"][1])),
        "targets": [
            (*t[:2], source(t[2])) for t in v["targets"] if source(spans[t[0]]) == source(t[2])
        ],
    }


def test_gold_goes_to_label_studio_as_ground_truth_and_reads_back_as_gold(
    app: Flask, auth: Auth, world: int
) -> None:
    with app.app_context():
        for annotation in db.session.scalars(db.select(Annotation)):
            annotation.is_gold = True
        db.session.add(ArticleReview(article_id=world, status="adjudicated"))
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
