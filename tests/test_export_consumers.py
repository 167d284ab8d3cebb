"""The consumers load what we export: JSON Schema, spaCy, DocBin, Label Studio's shape."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import spacy
from flask import Flask
from spacy.tokens import DocBin

from tests.conftest import Auth, import_text
from tests.test_export_formats import export
from tests.test_export_support import (
    SCHEMA,
    Seeded,
    add,
    annotate_seed,
    jsonl_lines,
    set_status,
)

EMOJI_TEXT = "Title\n👋🏽 Ünïcode: 北京 met Seoul 🇰🇷 today.\n"


@pytest.fixture
def seeded(app: Flask, users: dict[str, int], seed_article: int) -> Seeded:
    return annotate_seed(app, seed_article)


@pytest.fixture
def emoji_article(app: Flask, users: dict[str, int]) -> int:
    """A paragraph where code points and UTF-16 units differ: 👋🏽 and 🇰🇷 are two each."""
    article_id = import_text(app, "emoji.txt", EMOJI_TEXT)
    text = EMOJI_TEXT.splitlines()[1]
    with app.app_context():
        from annotator.extensions import db

        set_status(article_id, "anna", "done")
        add(article_id, 0, "anna", "entity", "GPE", (text.index("北京"), text.index("北京") + 2))
        start = text.index("Seoul")
        add(article_id, 0, "anna", "entity", "GPE", (start, start + 5))
        add(
            article_id,
            0,
            "anna",
            "claim",
            "factual",
            (0, len(text) - 1),
            attribution=None,
            claimant=None,
            checkworthy=None,
        )
        db.session.commit()
    return article_id


@pytest.mark.parametrize("by", ["paragraph", "article"])
def test_every_native_record_validates_against_the_json_schema(
    auth: Auth, seeded: Seeded, emoji_article: int, by: str
) -> None:
    auth.login("admin")
    records = jsonl_lines(export(auth.client, by=by, boilerplate="true").data)
    assert records
    for record in records:
        jsonschema.validate(record, SCHEMA)


def test_span_text_is_the_code_point_slice_even_after_emoji(auth: Auth, emoji_article: int) -> None:
    auth.login("admin")
    (record,) = jsonl_lines(export(auth.client).data)
    assert [e["text"] for e in record["entities"]] == ["北京", "Seoul"]
    for span in record["entities"] + record["claims"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]


def utf16_slice(text: str, start: int, end: int) -> str:
    """What a JavaScript tool means by text.slice(start, end)."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_doccano_offsets_count_utf16_units_as_doccano_does(auth: Auth, emoji_article: int) -> None:
    auth.login("admin")
    (record,) = jsonl_lines(export(auth.client, format="doccano").data)
    text = record["text"]
    assert [utf16_slice(text, s, e) for s, e, _ in record["label"]] == ["北京", "Seoul"]
    seoul = text.index("Seoul")
    assert record["label"][1][:2] == [seoul + 2, seoul + 7]  # 👋🏽 is two code points, four units
    for span in record["entities"]:
        assert utf16_slice(text, span["start_offset"], span["end_offset"])


def test_spacy_loads_every_record_and_gets_every_span_back(
    auth: Auth, seeded: Seeded, emoji_article: int
) -> None:
    auth.login("admin")
    nlp = spacy.blank("en")
    records = jsonl_lines(export(auth.client, format="spacy").data)
    spans = 0
    for record in records:
        doc = nlp(record["text"])
        for span in record["spans"] + record["claims"]:
            got = doc.char_span(span["start"], span["end"], label=span["label"])
            assert got is not None, (record["text"], span)
            assert got.text == record["text"][span["start"] : span["end"]]
            spans += 1
        assert record["answer"] == "accept"
    assert spans == 7 + 2 + 9 + 2 + 3  # anna p0, bob p0, anna p7 + claims, emoji paragraph


def test_spacy_tokens_match_span_token_indices(auth: Auth, seeded: Seeded) -> None:
    auth.login("admin")
    record = jsonl_lines(export(auth.client, format="spacy").data)[0]
    tokens = record["tokens"]
    for span in record["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert record["cats"] == {"negative": 0.0, "neutral": 1.0, "positive": 0.0, "mixed": 0.0}


def test_docbin_holds_entities_claims_and_cats(
    app: Flask, auth: Auth, seeded: Seeded, emoji_article: int
) -> None:
    auth.login("admin")
    response = export(auth.client, format="docbin", annotator="anna")
    assert response.headers["Content-Type"] == "application/octet-stream"
    nlp = spacy.blank("en")
    docs = list(DocBin().from_bytes(response.data).get_docs(nlp.vocab))
    native = jsonl_lines(export(auth.client, annotator="anna").data)
    assert len(docs) == len(native)
    for doc, record in zip(docs, native, strict=True):
        assert doc.text == record["text"]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e["start"], e["end"], e["label"]) for e in record["entities"]
        ]
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["claims"]] == [
            (c["start"], c["end"], c["type"]) for c in record["claims"]
        ]
    assert docs[0].cats["neutral"] == 1.0


def _controls(config: str) -> dict[str, ET.Element]:
    return {el.get("name", ""): el for el in ET.fromstring(config).iter() if el.get("name")}


def test_label_studio_results_fit_the_exported_labeling_config(
    auth: Auth, seeded: Seeded, emoji_article: int
) -> None:
    """The documented task shape: data.text, annotations[].result[] naming config controls."""
    auth.login("admin")
    tasks = json.loads(export(auth.client, format="labelstudio").data)
    controls = _controls(export(auth.client, format="labelstudio-config").get_data(as_text=True))
    kinds = {"Labels": "labels", "Choices": "choices", "TextArea": "textarea"}
    relations = 0
    for task in tasks:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            assert "completed_by" not in annotation  # LS wants its own user ids there
            regions = {r["id"] for r in annotation["result"] if r.get("type") == "labels"}
            for result in annotation["result"]:
                relations += _check_result(result, text, controls, kinds, regions)
    assert relations == 1


def _check_result(
    result: dict[str, Any],
    text: str,
    controls: dict[str, ET.Element],
    kinds: dict[str, str],
    regions: set[str],
) -> int:
    if result["type"] == "relation":
        assert {result["from_id"], result["to_id"]} <= regions
        assert result["labels"] == ["claimant"] and result["direction"] == "right"
        return 1
    control = controls[result["from_name"]]
    assert kinds[control.tag] == result["type"]
    assert result["to_name"] == control.get("toName") == "text"
    value = result["value"]
    if "start" in value:
        if result["type"] != "textarea":
            assert text[value["start"] : value["end"]] == value["text"]
        if result["type"] != "labels":  # per-region attribute: shares its region's id
            assert control.get("perRegion") == "true" and result["id"] in regions
    allowed = {child.get("value") for child in control}
    for key in ("labels", "choices"):
        assert set(value.get(key, [])) <= allowed
    return 0


def test_label_studio_groups_annotators_of_a_paragraph_in_one_task(
    auth: Auth, seeded: Seeded
) -> None:
    auth.login("admin")
    tasks = json.loads(export(auth.client, format="labelstudio").data)
    first = tasks[0]
    assert first["data"]["annotators"] == ["anna", "bob"]
    assert len(first["annotations"]) == 2
    assert len(tasks) == 13


SPACED_TEXT = "Title\nAlice  met\u00a0Bob,\tthen  Carol.\n"


@pytest.fixture
def spaced_article(app: Flask, users: dict[str, int]) -> str:
    """Spans with whitespace at an edge (the rules take them: a project may turn the snap to
    words off) in a paragraph whose gaps are not all one plain space."""
    article_id = import_text(app, "spaced.txt", SPACED_TEXT)
    text = SPACED_TEXT.splitlines()[1]
    with app.app_context():
        from annotator.extensions import db

        set_status(article_id, "anna", "done")
        add(article_id, 0, "anna", "entity", "PERSON", (0, 6))  # "Alice "
        add(article_id, 0, "anna", "entity", "PERSON", (10, 14))  # "\xa0Bob"
        add(article_id, 0, "anna", "entity", "PERSON", (20, 22))  # "  ": whitespace only
        attributes = {"attribution": None, "claimant": None, "checkworthy": None}
        add(article_id, 0, "anna", "claim", "factual", (0, 10), **attributes)  # "Alice  met"
        db.session.commit()
    return text


def test_spans_with_edge_whitespace_export_as_whole_tokens(auth: Auth, spaced_article: str) -> None:
    """Every token format leaves a span's edge whitespace out, where it used to fail (a
    500 and an empty file) or tag a span that begins with I-."""
    text = spaced_article
    auth.login("admin")
    nlp = spacy.blank("en")
    task = jsonl_lines(export(auth.client, format="spacy").data)[0]
    words = [t["text"] for t in task["tokens"]]
    doc = spacy.tokens.Doc(nlp.vocab, words=words, spaces=[t["ws"] for t in task["tokens"]])
    assert doc.text == text  # the tokens rebuild the text, double spaces and all
    spans = [
        (s["start"], s["end"], "".join(words[s["token_start"] : s["token_end"] + 1]))
        for s in task["spans"]
    ]
    assert spans == [(0, 5, "Alice"), (11, 14, "Bob")]
    assert [text[c["start"] : c["end"]] for c in task["claims"]] == ["Alice  met"]

    docbin = export(auth.client, format="docbin").data
    (loaded,) = list(DocBin().from_bytes(docbin).get_docs(nlp.vocab))
    assert loaded.text == text
    assert [e.text for e in loaded.ents] == ["Alice", "Bob"]
    assert [s.text for s in loaded.spans["claims"]] == ["Alice  met"]

    conll = export(auth.client, format="conll").get_data(as_text=True)
    assert "Alice -X- _ B-PERSON" in conll and "Bob -X- _ B-PERSON" in conll
    assert "I-PERSON" not in conll


def test_overlapping_majority_entities_fit_a_docbin(
    app: Flask, auth: Auth, users: dict[str, int]
) -> None:
    """Two annotators' labels of one word are two majority entities at a majority of one:
    doc.ents cannot hold both (spaCy's E1010, a 500); doc.spans["entities"] does."""
    article_id = import_text(app, "tokyo.txt", "Title\n東京 is large.\n")
    with app.app_context():
        from annotator.extensions import db

        for name, label in (("anna", "GPE"), ("bob", "LOC")):
            set_status(article_id, name, "done")
            add(article_id, 0, name, "entity", label, (0, 2))
        db.session.commit()
    auth.login("admin")
    response = export(auth.client, format="docbin", majority="1", layers="entity")
    (doc,) = list(DocBin().from_bytes(response.data).get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for e in doc.ents] == [("東京", "GPE")]
    assert sorted(s.label_ for s in doc.spans["entities"]) == ["GPE", "LOC"]
