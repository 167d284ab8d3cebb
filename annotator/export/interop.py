"""Native records turned into the shapes other tools read: spaCy/Prodigy, doccano, CoNLL.

Pure functions of one native paragraph record; offsets stay code points.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.text import to_utf16

TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
SENTENCE_END = {".", "!", "?"}


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """Where a record came from, so an import can find the paragraph again."""
    article = record["article"]
    return {
        "project": record["project"],
        "article_id": article["id"],
        "external_id": article["external_id"],
        "title": article["title"],
        "paragraph_index": record["paragraph_index"],
        "annotator": record["annotator"],
        "status": record["status"],
    }


def sentiment_cats(record: dict[str, Any], labels: Sequence[str]) -> dict[str, float]:
    """One-hot text categories for the paragraph sentiment; empty when there is none."""
    chosen = (record.get("sentiment") or {}).get("label")
    return {label: float(label == chosen) for label in labels} if chosen else {}


# --- spaCy / Prodigy ------------------------------------------------------------------------


def spacy_record(record: dict[str, Any], sentiments: Sequence[str]) -> dict[str, Any]:
    """Prodigy-style task: entity spans (non-overlapping, NER-ready), claims, text categories."""
    text = record["text"]
    tokens = aligned_tokens(text, span_boundaries(record))
    starts = {start: i for i, (start, _) in enumerate(tokens)}
    ends = {end: i for i, (_, end) in enumerate(tokens)}
    chosen = (record.get("sentiment") or {}).get("label")
    return {
        "text": text,
        "tokens": [
            {"text": text[s:e], "start": s, "end": e, "id": i, "ws": text[e : e + 1].isspace()}
            for i, (s, e) in enumerate(tokens)
        ],
        "spans": [
            {
                "id": e["id"],
                "start": e["start"],
                "end": e["end"],
                "label": e["label"],
                "token_start": starts[e["start"]],
                "token_end": ends[e["end"]],
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
        "meta": record_meta(record),
    }


def span_boundaries(record: dict[str, Any]) -> set[int]:
    spans = [*record["entities"], *record["claims"]]
    return {s["start"] for s in spans} | {s["end"] for s in spans}


def aligned_tokens(text: str, boundaries: Iterable[int]) -> list[tuple[int, int]]:
    """Word and punctuation tokens, split further so every span boundary is a token edge."""
    cuts = sorted(set(boundaries))
    tokens: list[tuple[int, int]] = []
    for match in TOKEN.finditer(text):
        start, end = match.span()
        for cut in (c for c in cuts if start < c < end):
            tokens.append((start, cut))
            start = cut
        tokens.append((start, end))
    return tokens


# --- doccano --------------------------------------------------------------------------------


def doccano_record(record: dict[str, Any], line_id: int) -> dict[str, Any]:
    """doccano sequence labelling (and relations): entities, claims as spans, sentiment in cats.

    doccano counts offsets in UTF-16 units, as its JavaScript front end does, so they are
    converted: after an emoji they differ from our code points.
    """
    text = record["text"]

    def units(offset: int) -> int:
        return to_utf16(text, offset)

    entities = [
        {
            "id": e["id"],
            "label": e["label"],
            "start_offset": units(e["start"]),
            "end_offset": units(e["end"]),
        }
        for e in record["entities"]
    ]
    claims = [
        {
            "id": c["id"],
            "label": f"CLAIM:{c['type']}",
            "start_offset": units(c["start"]),
            "end_offset": units(c["end"]),
        }
        for c in record["claims"]
    ]
    present = {e["id"] for e in record["entities"]}
    relations = [
        {"id": c["id"], "from_id": c["id"], "to_id": c["claimant"]["entity_id"], "type": "claimant"}
        for c in record["claims"]
        if c["claimant"] and c["claimant"]["entity_id"] in present
    ]
    chosen = (record.get("sentiment") or {}).get("label")
    return {
        "id": line_id,
        "text": record["text"],
        "label": [[units(e["start"]), units(e["end"]), e["label"]] for e in record["entities"]],
        "entities": entities + claims,
        "relations": relations,
        "cats": [chosen] if chosen else [],
        "meta": record_meta(record),
        "Comments": [],
    }


# --- CoNLL-2003 -----------------------------------------------------------------------------


def conll_lines(record: dict[str, Any], first_of_document: bool) -> Iterator[str]:
    """BIO-tagged entity tokens, one per line, a blank line after each sentence."""
    if first_of_document:
        yield "-DOCSTART- -X- O O"
        yield ""
    text = record["text"]
    entities = record["entities"]
    sentence: list[str] = []
    for start, end in aligned_tokens(text, span_boundaries({"entities": entities, "claims": []})):
        sentence.append(f"{text[start:end]} -X- _ {_bio(entities, start, end)}")
        if text[start:end] in SENTENCE_END and _outside(entities, end):
            yield from (*sentence, "")
            sentence = []
    if sentence:
        yield from (*sentence, "")


def _bio(entities: Sequence[dict[str, Any]], start: int, end: int) -> str:
    for e in entities:
        if e["start"] <= start and end <= e["end"]:
            return f"{'B' if start == e['start'] else 'I'}-{e['label']}"
    return "O"


def _outside(entities: Sequence[dict[str, Any]], offset: int) -> bool:
    return all(not (e["start"] < offset < e["end"]) for e in entities)
