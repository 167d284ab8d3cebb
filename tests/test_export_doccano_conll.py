"""doccano and CoNLL as their tools read them: ids, claimants, documents, sentences."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from annotator.ingest import IngestError
from tests.conftest import Auth
from tests.test_export_formats import export
from tests.test_export_round_trip import read_back
from tests.test_export_support import add_world, jsonl_lines


@pytest.fixture
def world(app: Flask, users: dict[str, int]) -> int:
    return add_world(app)


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
