"""Every format reads back what it wrote, where the format can carry it; provenance travels."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from flask import Flask

from annotator.extensions import db
from annotator.formats.drafts import RecordDraft, SpanDraft
from annotator.formats.registry import parse_annotations
from annotator.ingest import IngestError
from annotator.models import Annotation
from tests.conftest import Auth, import_text
from tests.test_export_formats import export
from tests.test_export_support import (
    EXPECTED,
    SCHEMA,
    WORLD_TEXT,
    annotate_seed,
    annotate_world,
    jsonl_lines,
)


@pytest.fixture
def world(app: Flask, users: dict[str, int]) -> int:
    article_id = import_text(app, "world.txt", WORLD_TEXT)
    annotate_world(app, article_id)
    return article_id


@pytest.fixture
def project(world: int, app: Flask, seed_article: int) -> None:
    """The world article and the annotated seed article: 30 native records."""
    annotate_seed(app, seed_article)


def read_back(data: bytes, name: str = "export.jsonl") -> list[RecordDraft]:
    return parse_annotations(name, data).drafts


def test_native_records_say_where_each_annotation_came_from(auth: Auth, world: int) -> None:
    auth.login("admin")
    anna = jsonl_lines(export(auth.client, annotator="anna").data)[0]
    assert [(e["text"], e["source"]) for e in anna["entities"]] == [
        ("北京", "model:zh-ner"),
        ("Monday", "manual"),
        ("Seoul’s ministry", "manual"),
    ]
    assert {c["source"] for c in anna["claims"]} == {"manual"}
    assert anna["sentiment"] == {
        "label": "negative",
        "source": "model:senti",
        "targets": [
            {"entity_id": anna["entities"][2]["id"], "label": "positive", "source": "manual"}
        ],
    }


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_records_with_provenance_validate_against_the_json_schema(
    auth: Auth, world: int, by: str
) -> None:
    auth.login("admin")
    for record in jsonl_lines(export(auth.client, by=by).data):
        jsonschema.validate(record, SCHEMA)


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_the_native_reader_reads_provenance_back(auth: Auth, world: int, by: str) -> None:
    auth.login("admin")
    drafts = read_back(export(auth.client, annotator="anna", by=by).data)
    first = drafts[0]
    assert [e.source for e in first.entities] == ["model:zh-ner", "manual", "manual"]
    assert [c.source for c in first.claims] == ["manual", "manual"]
    assert first.sentiment_source == "model:senti"
    ministry = first.entities[2].old_id
    assert first.targets == [(ministry, "positive")]
    assert first.target_sources == {ministry: "manual"}


def test_a_native_file_without_provenance_still_reads(auth: Auth, world: int) -> None:
    auth.login("admin")
    record: dict[str, Any] = jsonl_lines(export(auth.client, annotator="anna").data)[0]
    for span in record["entities"] + record["claims"] + record["sentiment"]["targets"]:
        del span["source"]
    del record["sentiment"]["source"]
    jsonschema.validate(record, SCHEMA)
    (draft,) = read_back(json.dumps(record).encode())
    assert {e.source for e in draft.entities} == {None}
    assert draft.sentiment == "negative" and draft.sentiment_source is None


# --- doccano ------------------------------------------------------------------------------


def through_doccano(
    record: dict[str, Any], example_id: int, reads: tuple[str, ...]
) -> dict[str, Any]:
    """What doccano 1.8.4 exports after importing the record into a project of one type.

    Its importer keeps every column the project type does not read as the example's meta
    (data_import/pipeline/data.py); its exporter writes {"id", "text", **meta} and then the
    labels it holds (data_export/models.py).
    """
    meta = {k: v for k, v in record.items() if k != "text" and k not in reads}
    return {"id": example_id, "text": record["text"], **meta, **{k: record[k] for k in reads}}


def test_doccano_claims_carry_their_claimant_entity_and_its_text(auth: Auth, world: int) -> None:
    auth.login("admin")
    data = export(auth.client, format="doccano", annotator="anna").data
    first = read_back(data)[0]
    beijing = first.entities[0]
    assert first.text[beijing.start : beijing.end] == "北京"
    assert first.claims[0].attributes["claimant"] == {"entity_id": beijing.old_id, "text": "北京"}
    assert first.claims[1].attributes["claimant"] is None


def test_doccano_keeps_its_own_example_id_and_ours_is_in_meta(auth: Auth, world: int) -> None:
    auth.login("admin")
    records = jsonl_lines(export(auth.client, format="doccano").data)
    assert all("id" not in r for r in records)
    assert [r["meta"]["annotator_record_id"] for r in records] == list(range(1, len(records) + 1))
    exported = through_doccano(records[0], 4711, reads=("label",))
    assert exported["id"] == 4711
    assert exported["meta"]["annotator_record_id"] == 1


def test_a_doccano_export_with_a_stale_shape_is_refused_until_one_is_removed(
    auth: Auth, world: int
) -> None:
    auth.login("admin")
    record = jsonl_lines(export(auth.client, format="doccano", annotator="anna").data)[0]
    edited = through_doccano(record, 1, reads=("label",))
    edited["label"] = edited["label"][1:]  # the annotator removed 北京 in doccano
    with pytest.raises(IngestError, match="line 1: .*'label' and 'entities' disagree"):
        read_back(json.dumps(edited).encode())
    del edited["entities"], edited["relations"]
    (draft,) = read_back(json.dumps(edited).encode())
    assert [draft.text[e.start : e.end] for e in draft.entities] == ["Monday", "Seoul’s ministry"]


def test_a_doccano_text_classification_label_is_the_paragraph_sentiment(app: Flask) -> None:
    line = {"id": 5, "text": "Terrible customer service.", "label": ["negative"]}
    (draft,) = read_back(json.dumps(line).encode())
    assert draft.sentiment == "negative" and draft.entities == []


# --- CoNLL --------------------------------------------------------------------------------


def conll_documents(text: str) -> dict[str, list[list[tuple[str, str]]]]:
    """Documents by their -DOCSTART- name, each a list of sentences of (token, tag)."""
    documents: dict[str, list[list[tuple[str, str]]]] = {}
    for block in text.split("\n\n"):
        lines = block.strip("\n").splitlines()
        if lines and lines[0].startswith("-DOCSTART-"):
            _, name, annotator, _ = lines[0].split(" ")
            current = documents.setdefault(f"{name} {annotator}", [])
            lines = lines[1:]
        if lines:
            current.append([(line.split(" ")[0], line.split(" ")[-1]) for line in lines])
    return documents


def bio_entities(sentences: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """(label, tokens joined by spaces) for each B-/I- run."""
    found: list[tuple[str, list[str]]] = []
    for token, tag in (pair for sentence in sentences for pair in sentence):
        if tag.startswith("B-"):
            found.append((tag[2:], [token]))
        elif tag.startswith("I-"):
            found[-1][1].append(token)
    return [(label, " ".join(tokens)) for label, tokens in found]


def test_conll_has_one_named_document_per_article_and_annotator(auth: Auth, world: int) -> None:
    auth.login("admin")
    text = export(auth.client, format="conll").get_data(as_text=True)
    documents = conll_documents(text)
    assert text.count("-DOCSTART-") == 2
    assert list(documents) == ["world anna", "world bob"]
    assert bio_entities(documents["world anna"]) == [
        ("GPE", "北京"),
        ("DATE", "Monday"),
        ("ORG", "Seoul ’ s ministry"),
        ("GPE", "東京"),
        ("GPE", "서울"),
    ]
    assert bio_entities(documents["world bob"]) == [("GPE", "北京")]


def test_conll_never_ends_a_sentence_inside_a_number(auth: Auth, world: int) -> None:
    auth.login("admin")
    text = export(auth.client, format="conll", annotator="bob").get_data(as_text=True)
    sentences = conll_documents(text)["world bob"]
    first = [token for token, _ in sentences[0]]
    assert "52,000" in first and "3.4" in first
    assert first[-2:] == ["percent", "."]


# --- every format through its own reader -------------------------------------------------

Where = tuple[Any, Any]


def claimant_of(claim: SpanDraft, spans: dict[Any, tuple[int, int]]) -> Any:
    claimant = claim.attributes.get("claimant")
    if not claimant:
        return None
    ref = claimant["entity_id"]
    return (None if ref is None else spans.get(ref, "elsewhere"), claimant["text"])


def view(draft: RecordDraft) -> dict[str, Any]:
    """A draft with ids resolved to offsets: what two formats can agree on."""
    spans = {e.old_id: (e.start, e.end) for e in draft.entities}
    return {
        "where": (draft.article_key, draft.paragraph_index),
        "text": draft.text,
        "annotator": draft.annotator,
        "entities": sorted((e.start, e.end, e.label, e.text, e.source) for e in draft.entities),
        "claims": sorted(
            (
                c.start,
                c.end,
                c.label,
                c.source,
                c.attributes["attribution"],
                c.attributes["checkworthy"],
                claimant_of(c, spans),
            )
            for c in draft.claims
        ),
        "sentiment": (draft.sentiment, draft.sentiment_source),
        "targets": sorted(
            (spans[r], label, draft.target_sources.get(r)) for r, label in draft.targets
        ),
    }


def ordered(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(views, key=lambda v: (repr(v["where"]), v["annotator"] or ""))


def native_views(auth: Auth, **params: str) -> list[dict[str, Any]]:
    return [view(d) for d in read_back(export(auth.client, **params).data)]


def test_native_round_trip_keeps_everything(auth: Auth, project: None) -> None:
    auth.login("admin")
    expected = native_views(auth)
    assert expected[0]["entities"][0] == (0, 2, "GPE", "北京", "model:zh-ner")
    assert ordered(native_views(auth, by="article")) == ordered(expected)
    assert len(expected) == 4 + 26


def without(v: dict[str, Any], *, annotator: bool = True, targets: bool = True) -> dict[str, Any]:
    """What spaCy and doccano lose: provenance; and, per the flags, annotator and targets."""
    return {
        **v,
        "annotator": v["annotator"] if annotator else None,
        "entities": [(*e[:3], None, None) for e in v["entities"]],
        "claims": [(*c[:3], None, *c[4:]) for c in v["claims"]],
        "sentiment": (v["sentiment"][0], None),
        "targets": [(*t[:2], None) for t in v["targets"]] if targets else [],
    }


def test_spacy_round_trip_keeps_all_but_provenance_annotator_and_targets(
    auth: Auth, project: None
) -> None:
    auth.login("admin")
    expected = [without(v, annotator=False, targets=False) for v in native_views(auth)]
    got = [view(d) for d in read_back(export(auth.client, format="spacy").data)]
    assert [{**v, "entities": [(*e[:3], None, None) for e in v["entities"]]} for v in got] == [
        {**v, "entities": [(*e[:3], None, None) for e in v["entities"]]} for v in expected
    ]


def doccano_loses(v: dict[str, Any]) -> dict[str, Any]:
    """Provenance, annotator, targets, attribution and check-worthiness, claimant text."""
    spans = {(e[0], e[1]): e for e in v["entities"]}
    kept = without(v, annotator=False, targets=False)
    claims = []
    for start, end, kind, _, _, _, claimant in kept["claims"]:
        linked = claimant and claimant[0] in spans
        who = (claimant[0], v["text"][claimant[0][0] : claimant[0][1]]) if linked else None
        claims.append((start, end, kind, None, None, None, who))
    return {**kept, "claims": sorted(claims)}


def test_doccano_round_trip_keeps_spans_claim_types_claimant_entities_and_sentiment(
    auth: Auth, project: None
) -> None:
    auth.login("admin")
    expected = [doccano_loses(v) for v in native_views(auth)]
    got = [view(d) for d in read_back(export(auth.client, format="doccano").data)]
    plain = [{**v, "entities": [(*e[:3], None, None) for e in v["entities"]]} for v in got]
    assert plain == [
        {**v, "entities": [(*e[:3], None, None) for e in v["entities"]]} for v in expected
    ]


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


def label_studio_loses(v: dict[str, Any]) -> dict[str, Any]:
    """A person's source is unstated; a claimant entity of another source keeps its text only."""
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


def test_label_studio_round_trip_keeps_people_and_models_apart(auth: Auth, project: None) -> None:
    auth.login("admin")
    expected = ordered([label_studio_loses(v) for v in native_views(auth)])
    parsed = parse_annotations("tasks.json", export(auth.client, format="labelstudio").data)
    assert merged(parsed.drafts) == expected
    predictions = [d for d in parsed.drafts if d.prediction]
    assert {(d.annotator, d.prediction) for d in predictions} == {
        ("anna", "zh-ner"),
        ("anna", "senti"),
        ("bob", "zh-ner"),
    }
    for d in predictions:
        assert {s.source for s in d.entities + d.claims} <= {f"model:{d.prediction}"}


# --- Label Studio: predictions, and files Label Studio wrote -----------------------------


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
