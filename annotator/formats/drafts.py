"""Parse annotation files (native, doccano, spaCy JSONL) into drafts; no database access.

Every problem is an IngestError naming the file and line, found before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.ingest import IngestError, jsonl_records
from annotator.text import from_utf16, to_utf16

KINDS = ("native", "doccano", "spacy")


@dataclass
class SpanDraft:
    start: int
    end: int
    label: str
    text: str | None = None
    old_id: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: Provenance as the file gives it ("import" when it says nothing).
    source: str | None = None


@dataclass
class RecordDraft:
    """One paragraph's annotations by one person, as read from one line."""

    line: int
    text: str
    annotator: str | None
    status: str | None
    article_key: tuple[str, str] | None  # ("external_id" | "title", value)
    paragraph_index: int | None
    entities: list[SpanDraft] = field(default_factory=list)
    claims: list[SpanDraft] = field(default_factory=list)
    sentiment: str | None = None
    sentiment_source: str | None = None
    targets: list[tuple[Any, str]] = field(default_factory=list)


def detect_kind(record: Any) -> str | None:
    """Which annotation format a JSON line is in, or None when it is not one (e.g. an article)."""
    if not isinstance(record, dict) or "title" in record:
        return None
    if "format_version" in record:
        return "native"
    if "spans" in record:
        return "spacy"
    if "text" in record and ("label" in record or "entities" in record):
        return "doccano"
    return None


def parse_annotation_lines(name: str, data: bytes) -> list[RecordDraft]:
    drafts: list[RecordDraft] = []
    for number, record in jsonl_records(name, data):
        drafts.extend(_parse(name, number, record))
    if not drafts:
        raise IngestError(name, None, "no annotation records in the file")
    return drafts


def _parse(name: str, number: int, record: Any) -> list[RecordDraft]:
    kind = detect_kind(record)
    try:
        if kind == "native":
            return _native(record, number)
        if kind == "spacy":
            return [_spacy(record, number)]
        if kind == "doccano":
            return [_doccano(record, number)]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise IngestError(name, number, f"malformed {kind} record ({_describe(exc)})") from None
    raise IngestError(name, number, "not a native, doccano or spaCy annotation record")


def _describe(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


def _text(record: dict[str, Any]) -> str:
    text = record["text"]
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    return text


def _article_key(article: dict[str, Any]) -> tuple[str, str]:
    if article.get("external_id"):
        return ("external_id", str(article["external_id"]))
    return ("title", str(article["title"]))


# --- native ---------------------------------------------------------------------------------


def _native(record: dict[str, Any], number: int) -> list[RecordDraft]:
    if record["format_version"] != 1:
        raise ValueError(f"format_version {record['format_version']!r} is not supported")
    article = record["article"]
    paragraphs = record.get("paragraphs", [record])
    return [
        _native_paragraph(record, p, number, article, p.get("index", p.get("paragraph_index")))
        for p in paragraphs
    ]


def _native_paragraph(
    record: dict[str, Any], p: dict[str, Any], number: int, article: dict[str, Any], index: Any
) -> RecordDraft:
    if not isinstance(index, int) or isinstance(index, bool):
        raise ValueError("the paragraph index must be an integer")
    draft = RecordDraft(
        number, _text(p), record["annotator"], record.get("status"), _article_key(article), index
    )
    draft.entities = [
        SpanDraft(e["start"], e["end"], e["label"], e["text"], e["id"]) for e in p["entities"]
    ]
    draft.claims = [
        SpanDraft(c["start"], c["end"], c["type"], c["text"], c["id"], _claim_attributes(c))
        for c in p["claims"]
    ]
    sentiment = p.get("sentiment") or {}
    draft.sentiment = sentiment.get("label")
    draft.targets = [(t["entity_id"], t["label"]) for t in sentiment.get("targets", [])]
    return draft


def _claim_attributes(claim: dict[str, Any]) -> dict[str, Any]:
    claimant = claim.get("claimant")
    return {
        "attribution": claim.get("attribution"),
        "claimant": (
            {"entity_id": claimant.get("entity_id"), "text": claimant.get("text") or ""}
            if isinstance(claimant, dict)
            else None
        ),
        "checkworthy": claim.get("checkworthy"),
    }


# --- spaCy / Prodigy ------------------------------------------------------------------------


def _meta_position(record: dict[str, Any]) -> tuple[tuple[str, str] | None, int | None]:
    meta = record.get("meta") or {}
    if not isinstance(meta, dict) or "paragraph_index" not in meta:
        return None, None
    key = (
        ("external_id", str(meta["external_id"]))
        if meta.get("external_id")
        else (("title", str(meta["title"])) if meta.get("title") else None)
    )
    return key, meta["paragraph_index"] if key else None


def _spacy(record: dict[str, Any], number: int) -> RecordDraft:
    key, index = _meta_position(record)
    draft = RecordDraft(number, _text(record), None, None, key, index)
    draft.entities = [
        SpanDraft(s["start"], s["end"], s["label"], old_id=s.get("id")) for s in record["spans"]
    ]
    draft.claims = [
        SpanDraft(c["start"], c["end"], c["label"], attributes=_claim_attributes(c))
        for c in record.get("claims", [])
    ]
    cats = record.get("cats") or {}
    chosen = [label for label, score in cats.items() if score >= 0.5]
    accepted = record.get("accept") or []
    draft.sentiment = (chosen or accepted or [None])[0]
    return draft


# --- doccano --------------------------------------------------------------------------------


def _doccano(record: dict[str, Any], number: int) -> RecordDraft:
    """doccano's offsets are UTF-16 units; they become code points here."""
    key, index = _meta_position(record)
    text = _text(record)
    draft = RecordDraft(number, text, None, None, key, index)
    if "entities" in record:
        _doccano_entities(draft, record)
    else:
        draft.entities = [
            SpanDraft(*_code_points(text, s, e), label) for s, e, label in record["label"]
        ]
    cats = record.get("cats") or []
    draft.sentiment = cats[0] if cats else None
    return draft


def _doccano_entities(draft: RecordDraft, record: dict[str, Any]) -> None:
    claimants = {
        r["from_id"]: r["to_id"] for r in record.get("relations", []) if r.get("type") == "claimant"
    }
    for e in record["entities"]:
        label: str = e["label"]
        start, end = _code_points(draft.text, e["start_offset"], e["end_offset"])
        span = SpanDraft(start, end, label, old_id=e["id"])
        if label.startswith("CLAIM:"):
            span.label = label.removeprefix("CLAIM:")
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
