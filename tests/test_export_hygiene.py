"""No stored text can break an export: one record per JSONL line, and no failure mid-stream.

A lone surrogate cannot be encoded as UTF-8; U+2028 and U+2029 end a line for many readers.
JSON formats escape both, plain-text formats (CoNLL, DocBin) write U+FFFD for a lone surrogate.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import spacy
from flask import Flask
from spacy.tokens import DocBin

from annotator.export.service import CHUNK_BYTES, encoded
from annotator.extensions import db
from annotator.formats.native import ArticleInfo, ParagraphInfo, StoredAnnotation, paragraph_record
from annotator.formats.registry import FORMATS
from annotator.models import Annotation
from annotator.schema import DEFAULT_SCHEMA
from tests.conftest import Auth
from tests.test_export_formats import export
from tests.test_export_support import add_world, jsonl_lines

LONE = "\ud800"
SEPARATORS = "\u2028 and \u2029"
TEXT = f"Wang{LONE} met Cho {SEPARATORS} in Seoul."


def stored(id: int, layer: str, span: tuple[int, int] | None, label: str, **attributes: Any) -> Any:
    start, end = span or (None, None)
    return StoredAnnotation(id, 0, 1, layer, start, end, label, attributes, "2024-05-14", "manual")


def record() -> dict[str, Any]:
    """A native record whose text, title and claimant hold a lone surrogate and separators."""
    seoul = TEXT.index("Seoul")
    annotations = [
        stored(1, "entity", (0, 5), "PERSON"),
        stored(2, "entity", (seoul, seoul + 5), "GPE"),
        stored(
            3,
            "claim",
            (0, len(TEXT) - 1),
            "factual",
            attribution="reported",
            claimant={"entity_id": None, "text": f"Seoul{LONE}{SEPARATORS}"},
            checkworthy="yes",
        ),
        stored(4, "sentiment", None, "neutral"),
    ]
    article = ArticleInfo(1, f"id-{LONE}", f"Title {LONE}\u2028", None)
    paragraph = ParagraphInfo(1, 0, TEXT, False)
    return paragraph_record("p", article, paragraph, "anna", "done", annotations, None)


def written(name: str, records: list[dict[str, Any]]) -> bytes:
    fmt = FORMATS[name]
    return b"".join(encoded(fmt.write(iter(records), DEFAULT_SCHEMA)))


@pytest.mark.parametrize("name", ["native", "spacy", "doccano"])
def test_jsonl_keeps_one_record_per_line_and_every_character(name: str) -> None:
    data = written(name, [record(), record()])
    text = data.decode("utf-8")  # encodable: the lone surrogate went out as an escape
    assert "\u2028" not in text and "\u2029" not in text
    lines = text.splitlines()  # Python splits at U+2028 too, as JavaScript readers do
    assert len(lines) == 2
    assert json.loads(lines[0])["text"] == TEXT


def test_label_studio_json_parses_with_every_character() -> None:
    (task,) = json.loads(written("labelstudio", [record()]))
    assert task["data"]["text"] == TEXT
    claimant = next(r for r in task["annotations"][0]["result"] if r["type"] == "textarea")
    assert claimant["value"]["text"] == [f"Seoul{LONE}{SEPARATORS}"]


def test_conll_writes_a_lone_surrogate_as_the_replacement_character() -> None:
    text = written("conll", [record()]).decode("utf-8")
    assert text.startswith("-DOCSTART- id-\ufffd anna O\n")
    assert "Wang -X- _ B-PERSON\n\ufffd -X- _ I-PERSON\n" in text


def test_docbin_keeps_the_text_length_and_spans_with_the_replacement_character() -> None:
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_bytes(written("docbin", [record()])).get_docs(nlp.vocab)
    assert doc.text == TEXT.replace(LONE, "\ufffd")
    assert [(e.start_char, e.end_char, e.text) for e in doc.ents] == [
        (0, 5, "Wang\ufffd"),
        (TEXT.index("Seoul"), TEXT.index("Seoul") + 5, "Seoul"),
    ]


# --- the same through the database and the streamed response ------------------------------


@pytest.fixture
def poisoned(app: Flask, users: dict[str, int]) -> int:
    """A claimant whose text holds a lone surrogate and a line separator, as JSON stores it."""
    article_id = add_world(app)
    with app.app_context():
        claim = db.session.scalars(db.select(Annotation).where(Annotation.layer == "claim")).first()
        assert claim is not None
        claim.attributes = {**claim.attributes, "claimant": {"entity_id": None, "text": TEXT}}
        db.session.commit()
    return article_id


@pytest.mark.parametrize("name", [n for n, f in FORMATS.items() if f.needs_records])
def test_every_format_streams_to_the_end(auth: Auth, poisoned: int, name: str) -> None:
    auth.login("admin")
    data = export(auth.client, format=name).data
    if name in ("native", "spacy", "doccano"):
        lines = data.decode("utf-8").splitlines()
        assert len(lines) == 4 and all(json.loads(line) for line in lines)
    elif name == "labelstudio":
        assert len(json.loads(data)) == 2
    elif name == "conll":
        assert data.decode("utf-8").count("-DOCSTART-") == 2
    else:
        assert len(list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))) == 4


def test_the_native_export_gives_the_claimant_text_back_exactly(auth: Auth, poisoned: int) -> None:
    auth.login("admin")
    claims = [c for r in jsonl_lines(export(auth.client).data) for c in r["claims"]]
    assert claims[0]["claimant"]["text"] == TEXT


def test_lines_are_sent_in_chunks_of_bounded_size_with_every_byte_kept() -> None:
    lines = [f'{{"n":{n},"text":"{"x" * 700}"}}\n' if n % 2 else b"b\n" for n in range(1000)]

    chunks = list(encoded(iter(lines)))

    assert b"".join(chunks) == b"".join(x.encode() if isinstance(x, str) else x for x in lines)
    assert 1 < len(chunks) < 20  # gathered, not one write per line
    assert all(len(chunk) < CHUNK_BYTES + 1024 for chunk in chunks)


def test_a_target_stored_as_a_float_is_exported_as_the_entitys_id() -> None:
    """Rows stored before the rules named a target 2.0 as entity 2 export as an id the
    import reads back."""
    annotations = [
        stored(1, "entity", (0, 4), "PERSON"),
        stored(2, "sentiment", None, "positive", target_id=1.0),
    ]
    paragraph = ParagraphInfo(1, 0, TEXT, False)
    article = ArticleInfo(1, None, "Title", None)
    record = paragraph_record("p", article, paragraph, "anna", "done", annotations, None)
    (target,) = record["sentiment"]["targets"]
    assert target == {"entity_id": 1, "label": "positive", "source": "manual"}
    assert type(target["entity_id"]) is int
