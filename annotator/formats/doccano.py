"""doccano JSONL: writer and reader.

One line per paragraph record, in both of doccano's text shapes: `label` ([start, end, LABEL]
lists) for a sequence-labeling project, and `entities` + `relations` for a relation project,
where a claim is a span labelled `CLAIM:<type>` and its claimant a `claimant` relation. The
paragraph sentiment is in `cats`. doccano counts offsets in UTF-16 units, as its JavaScript
front end does, so both directions convert: after an emoji they differ from our code points.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from annotator.formats import native
from annotator.formats.drafts import RecordDraft, SpanDraft, meta_position, text_of
from annotator.formats.safe import json_line
from annotator.text import from_utf16, to_utf16

CLAIM = "CLAIM:"


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[str]:
    return (json_line(example(r, i)) for i, r in enumerate(records, start=1))


def example(record: dict[str, Any], line_id: int) -> dict[str, Any]:
    """One doccano example: entities, claims as spans, sentiment in cats."""
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
            "label": f"{CLAIM}{c['type']}",
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
        "meta": native.meta(record),
        "Comments": [],
    }


# --- reader ---------------------------------------------------------------------------------


def read(record: dict[str, Any], number: int) -> list[RecordDraft]:
    """doccano's offsets are UTF-16 units; they become code points here."""
    key, index = meta_position(record.get("meta"))
    text = text_of(record)
    draft = RecordDraft(number, text, None, None, key, index)
    if "entities" in record:
        _entities(draft, record)
    else:
        draft.entities = [
            SpanDraft(*_code_points(text, s, e), label) for s, e, label in record["label"]
        ]
    cats = record.get("cats") or []
    draft.sentiment = cats[0] if cats else None
    return [draft]


def _entities(draft: RecordDraft, record: dict[str, Any]) -> None:
    claimants = {
        r["from_id"]: r["to_id"] for r in record.get("relations", []) if r.get("type") == "claimant"
    }
    for e in record["entities"]:
        label: str = e["label"]
        start, end = _code_points(draft.text, e["start_offset"], e["end_offset"])
        span = SpanDraft(start, end, label, old_id=e["id"])
        if label.startswith(CLAIM):
            span.label = label.removeprefix(CLAIM)
            target = claimants.get(e["id"])
            span.attributes = {
                "attribution": None,
                "claimant": {"entity_id": target, "text": ""} if target is not None else None,
                "checkworthy": None,
            }
            draft.claims.append(span)
        else:
            draft.entities.append(span)


def _code_points(text: str, start: Any, end: Any) -> tuple[int, int]:
    """A doccano span in code points; offsets that split a character fail."""
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValueError("offsets must be integers")
    length = to_utf16(text, len(text))
    if not (0 <= start <= length and 0 <= end <= length):
        return start, end  # out of the text: the span check reports it with the offsets given
    converted = from_utf16(text, start), from_utf16(text, end)
    if converted[0] is None or converted[1] is None:
        raise ValueError(f"offsets {start}-{end} do not fall on characters of the text (UTF-16)")
    return converted[0], converted[1]
