"""spaCy / Prodigy: JSONL tasks (writer and reader) and spaCy's binary DocBin (writer).

A task holds `tokens`, entity `spans` (non-overlapping, NER-ready), our `claims`, and the
paragraph sentiment as `cats` (one-hot) and Prodigy's `accept`/`options`. Offsets are code
points, as in spaCy. spaCy itself is optional: only the DocBin writer imports it, late.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.formats import native
from annotator.formats.drafts import (
    RecordDraft,
    Skip,
    SpanDraft,
    claim_attributes,
    meta_position,
    one_sentiment,
    text_of,
)
from annotator.formats.safe import json_line, plain_strings, plain_text
from annotator.formats.tokens import (
    aligned_tokens,
    doc_words,
    spacy_token_dicts,
    span_boundaries,
    token_of_end,
    token_of_start,
    trimmed,
)

#: Prodigy's answers that say "do not use this example": the reader skips these records.
REFUSED = ("reject", "ignore")


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[bytes]:
    return (json_line(task(r, schema["sentiment"])) for r in records)


def task(record: dict[str, Any], sentiments: Sequence[str]) -> dict[str, Any]:
    """Prodigy-style task: entity spans, claims, text categories, where it came from."""
    text = record["text"]
    record = trimmed(record)
    tokens, starts = spacy_token_dicts(text, span_boundaries(record))
    chosen = (record.get("sentiment") or {}).get("label")
    return {
        "text": text,
        "tokens": tokens,
        "spans": [
            {
                "id": e["id"],
                "start": e["start"],
                "end": e["end"],
                "label": e["label"],
                "token_start": token_of_start(starts, e["start"]),
                "token_end": token_of_end(starts, e["end"]),
            }
            for e in record["entities"]
        ],
        "claims": [
            {
                "start": c["start"],
                "end": c["end"],
                "label": c["type"],
                "attribution": c["attribution"],
                "claimant": c["claimant"],
                "checkworthy": c["checkworthy"],
            }
            for c in record["claims"]
        ],
        "cats": sentiment_cats(record, sentiments),
        "accept": [chosen] if chosen else [],
        "options": [{"id": label, "text": label} for label in sentiments],
        "answer": "accept",
        "meta": native.meta(record),
    }


def sentiment_cats(record: dict[str, Any], labels: Sequence[str]) -> dict[str, float]:
    """One-hot text categories for the paragraph sentiment; empty when there is none."""
    chosen = (record.get("sentiment") or {}).get("label")
    return {label: float(label == chosen) for label in labels} if chosen else {}


# --- reader ---------------------------------------------------------------------------------


def read(record: dict[str, Any], number: int) -> list[RecordDraft]:
    """One accepted task as a draft; the importer decides whose it is (--as-annotator)."""
    answer = record.get("answer", "accept")
    if answer in REFUSED:
        raise Skip(f'answer "{answer}"')
    if answer != "accept":
        raise ValueError(f"answer must be accept, reject or ignore, not {answer!r}")
    key, index = meta_position(record.get("meta"))
    draft = RecordDraft(number, text_of(record), None, None, key, index)
    draft.entities = [
        SpanDraft(s["start"], s["end"], s["label"], old_id=s.get("id")) for s in record["spans"]
    ]
    draft.claims = [
        SpanDraft(c["start"], c["end"], c["label"], attributes=claim_attributes(c))
        for c in record.get("claims", [])
    ]
    cats = record.get("cats") or {}
    chosen = [label for label, score in cats.items() if score >= 0.5]
    accepted = record.get("accept") or []
    draft.sentiment = one_sentiment(chosen, "'cats'") or one_sentiment(accepted, "'accept'")
    return [draft]


# --- DocBin ---------------------------------------------------------------------------------


def spacy_available() -> bool:
    """Whether spaCy is installed, without paying for importing it."""
    return importlib.util.find_spec("spacy") is not None


def write_docbin(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[bytes]:
    """A DocBin is serialised in one piece, so this writer holds the exported docs in memory."""
    yield docbin_bytes(records, schema["sentiment"])


def docbin_bytes(records: Iterable[dict[str, Any]], sentiments: Sequence[str]) -> bytes:
    """Entities in doc.ents, claims in doc.spans["claims"], sentiment in doc.cats.

    A DocBin stores UTF-8 with no escape, so a lone surrogate in stored text becomes U+FFFD:
    one code point for one, so every span keeps its offsets.
    """
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = DocBin(store_user_data=True)
    for record in records:
        docs.add(_doc(nlp, record, sentiments))
    data: bytes = docs.to_bytes()
    return data


def _doc(nlp: Any, record: dict[str, Any], sentiments: Sequence[str]) -> Any:
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    text = plain_text(record["text"])
    record = trimmed(record)
    words, spaces = doc_words(text, aligned_tokens(text, span_boundaries(record)))
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    # Token edges fall on every span boundary, so char_span never returns None here.
    entities = [_span(doc, e["start"], e["end"], e["label"]) for e in record["entities"]]
    # doc.ents cannot overlap; majority and gold-with-work records can (two annotators'
    # 東京 GPE and 東京 LOC). Every entity is in doc.spans["entities"]; doc.ents keeps the
    # longest of those that overlap, the first of equals.
    doc.spans["entities"] = entities
    doc.ents = filter_spans(entities)
    doc.spans["claims"] = [_span(doc, c["start"], c["end"], c["type"]) for c in record["claims"]]
    doc.cats = sentiment_cats(record, sentiments)
    doc.user_data["meta"] = plain_strings(
        {
            "article_id": record["article"]["id"],
            "paragraph_index": record["paragraph_index"],
            "annotator": record["annotator"],
        }
    )
    return doc


def _span(doc: Any, start: int, end: int, label: str) -> Any:
    span = doc.char_span(start, end, label=label)
    if span is None:
        raise ValueError(f"span [{start}, {end}] does not fall on token boundaries")
    return span
