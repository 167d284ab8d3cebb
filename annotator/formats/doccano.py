"""doccano JSONL: writer and reader.

One line per paragraph record, in both of doccano's text shapes: `label` ([start, end, LABEL]
lists) for a sequence-labeling project, and `entities` + `relations` for a relation project,
where a claim is a span labelled `CLAIM:<type>` and its claimant a `claimant` relation. The
paragraph sentiment is in `cats`. doccano counts offsets in UTF-16 units, as its JavaScript
front end does, so both directions convert: after an emoji they differ from our code points.

doccano (1.8) keeps every column it does not read as the example's meta and writes it back
on export, after its own `id`, which such a column would overwrite: so our record has no
`id`, and where it came from is in `meta`. A column the project type does not read also comes
back unchanged, so a doccano export holds a stale copy of the shape the project did not edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from annotator.formats import native
from annotator.formats.drafts import (
    RecordDraft,
    SpanDraft,
    meta_position,
    one_sentiment,
    text_of,
)
from annotator.formats.safe import json_line
from annotator.text import utf16_reader, utf16_writer

#: A text's length in UTF-16 units, its offset converter (annotator.text.utf16_reader), and
#: whether units and code points count alike (no character beyond the BMP: most texts).
Utf16Reader = tuple[int, Callable[[int], int | None], bool]

CLAIM = "CLAIM:"


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[bytes]:
    return (json_line(example(r, i)) for i, r in enumerate(records, start=1))


def example(record: dict[str, Any], number: int) -> dict[str, Any]:
    """One doccano example: entities, claims as spans, sentiment in cats."""
    text = record["text"]
    units = utf16_writer(text)
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
        "text": record["text"],
        "label": [[units(e["start"]), units(e["end"]), e["label"]] for e in record["entities"]],
        "entities": entities + claims,
        "relations": relations,
        "cats": [chosen] if chosen else [],
        "meta": {**native.meta(record), "annotator_record_id": number},
        "Comments": [],
    }


# --- reader ---------------------------------------------------------------------------------


def read(record: dict[str, Any], number: int) -> list[RecordDraft]:
    """doccano's offsets are UTF-16 units; they become code points here."""
    key, index = meta_position(record.get("meta"))
    text = text_of(record)
    reader = _reader(text)
    draft = RecordDraft(number, text, None, None, key, index)
    labels = record.get("label", [])
    if labels and isinstance(labels[0], str) and all(isinstance(x, str) for x in labels):
        draft.sentiment = one_sentiment(labels, "'label'")  # a text-classification project
        return [draft]
    alike = reader[2]
    spans = [
        SpanDraft(s, e, label)  # what _code_points gives plain ints where units are characters
        if alike and type(s) is int and type(e) is int
        else SpanDraft(*_code_points(reader, s, e), label)
        for s, e, label in labels
    ]
    if "entities" in record:
        _entities(draft, record, reader)
        _agree(spans, draft.entities, "label" in record)
    else:
        draft.entities = spans
    draft.sentiment = one_sentiment(record.get("cats") or [], "'cats'")
    return [draft]


def _entities(draft: RecordDraft, record: dict[str, Any], reader: Utf16Reader) -> None:
    """Entities, and claims with their claimant entity (and its text) from the relations."""
    claimants = {
        r["from_id"]: r["to_id"] for r in record.get("relations", []) if r.get("type") == "claimant"
    }
    for e in record["entities"]:
        label: str = e["label"]
        start, end = _code_points(reader, e["start_offset"], e["end_offset"])
        span = SpanDraft(start, end, label.removeprefix(CLAIM), old_id=e["id"])
        (draft.claims if label.startswith(CLAIM) else draft.entities).append(span)
    texts = {e.old_id: draft.text[e.start : e.end] for e in draft.entities}
    for claim in draft.claims:
        target = claimants.get(claim.old_id)
        claim.attributes = {
            "attribution": None,
            "claimant": (
                None if target is None else {"entity_id": target, "text": texts.get(target, "")}
            ),
            "checkworthy": None,
        }


def _agree(labelled: list[SpanDraft], entities: list[SpanDraft], has_label: bool) -> None:
    """Both shapes must say the same: after doccano, one of them is a stale copy."""
    if has_label and _spans(labelled) != _spans(entities):
        raise ValueError(
            "'label' and 'entities' disagree: a doccano sequence-labeling export holds its "
            "spans in 'label', a relation export in 'entities'; delete the other key"
        )


def _spans(spans: list[SpanDraft]) -> list[tuple[int, int, str]]:
    return sorted((s.start, s.end, s.label) for s in spans)


def _reader(text: str) -> Utf16Reader:
    length, points = utf16_reader(text)
    return length, points, length == len(text)


def _code_points(reader: Utf16Reader, start: Any, end: Any) -> tuple[int, int]:
    """A doccano span in code points; offsets that split a character fail."""
    if type(start) is not int or type(end) is not int:  # not a bool either
        raise ValueError("offsets must be integers")
    length, points, alike = reader
    if not (0 <= start <= length and 0 <= end <= length):
        return start, end  # out of the text: the span check reports it with the offsets given
    if alike:  # every unit is a character: nothing to convert
        return start, end
    converted = points(start), points(end)
    if converted[0] is None or converted[1] is None:
        raise ValueError(f"offsets {start}-{end} do not fall on characters of the text (UTF-16)")
    return converted[0], converted[1]
