"""Every format reads back what it wrote, where the format can carry it; provenance travels.

Each export of one project is read back into drafts and compared with the native export's,
less what the format cannot carry (the table in docs/export.md).
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from flask import Flask

from annotator.formats.drafts import RecordDraft, SpanDraft
from annotator.formats.registry import parse_annotations
from tests.conftest import Auth
from tests.test_export_formats import export
from tests.test_export_support import SCHEMA, add_world, annotate_seed, jsonl_lines


@pytest.fixture
def world(app: Flask, users: dict[str, int]) -> int:
    return add_world(app)


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


def label_studio_loses(v: dict[str, Any]) -> dict[str, Any]:
    """Provenance: a person's regions read back with their source unstated."""
    return {
        **v,
        "entities": [(*e[:4], None) for e in v["entities"]],
        "claims": sorted((*c[:3], None, *c[4:]) for c in v["claims"]),
        "sentiment": (v["sentiment"][0], None),
        "targets": [(*t[:2], None) for t in v["targets"]],
    }


def test_label_studio_round_trip_keeps_everyones_work_as_theirs(auth: Auth, project: None) -> None:
    """Accepted model work ("model:NAME") is the person's: it comes back as their annotation."""
    auth.login("admin")
    expected = ordered([label_studio_loses(v) for v in native_views(auth)])
    parsed = parse_annotations("tasks.json", export(auth.client, format="labelstudio").data)
    assert ordered([view(d) for d in parsed.drafts]) == expected
    assert [d for d in parsed.drafts if d.prediction] == []
