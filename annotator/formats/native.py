"""The native format: our documented JSONL record, its writer and its reader.

The writer is pure functions from stored rows to the record (the export streams the rows);
the reader turns a record back into drafts. See docs/export-format.md and
docs/schema/native-record.schema.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from annotator.formats.drafts import (
    RecordDraft,
    SpanDraft,
    article_key,
    claim_attributes,
    text_of,
)
from annotator.formats.safe import json_line

FORMAT_VERSION = 1


class ArticleInfo(NamedTuple):
    id: int
    external_id: str | None
    title: str
    source: str | None


class ParagraphInfo(NamedTuple):
    article_id: int
    position: int
    text: str
    is_boilerplate: bool


class StoredAnnotation(NamedTuple):
    """The columns of one Annotation row that an export needs.

    `attributes` may still be JSON text and `updated_at` text (SQLite): decoding them only
    where needed keeps a large export fast.
    """

    id: int
    paragraph_index: int
    annotator_id: int
    layer: str
    start: int | None
    end: int | None
    label: str
    attributes: dict[str, Any] | str
    updated_at: datetime | str
    source: str
    #: The article of its paragraph: the export reads annotations article by article.
    article_id: int = 0


def attributes_of(a: StoredAnnotation) -> dict[str, Any]:
    raw = a.attributes
    if isinstance(raw, str):
        return {} if raw == "{}" else dict(json.loads(raw))
    return raw or {}


def iso_utc(moment: datetime | str | None) -> str | None:
    """ISO 8601 in UTC with a Z; SQLite hands back naive times (or their text) that are UTC."""
    if moment is None:
        return None
    if isinstance(moment, str):
        if len(moment) == 26 and moment[10] == " " and moment[19] == ".":
            # SQLite's text as SQLAlchemy writes it (UTC, microseconds): cut, not parsed,
            # since an export formats one per record; isoformat() also truncates.
            return f"{moment[:10]}T{moment[11:23]}Z"
        moment = datetime.fromisoformat(moment)
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def article_json(article: ArticleInfo) -> dict[str, Any]:
    return {
        "id": article.id,
        "external_id": article.external_id,
        "title": article.title,
        "source": article.source,
    }


def paragraph_record(
    project: str,
    article: ArticleInfo,
    paragraph: ParagraphInfo,
    annotator: str | None,
    status: str,
    annotations: Sequence[StoredAnnotation],
    fallback_time: datetime | str | None,
) -> dict[str, Any]:
    """One native record: one paragraph as one annotator (or gold, annotator null) left it.

    One dict literal over one pass through the rows (_layers): an export builds one per
    paragraph and annotator, so every step here is paid 24,000 times for 2,000 articles."""
    text = paragraph.text
    entities, claims, sentiment = _layers(text, annotations)
    return {
        "format_version": FORMAT_VERSION,
        "project": project,
        "article": article_json(article),
        "paragraph_index": paragraph.position,
        "boilerplate": paragraph.is_boilerplate,
        "text": text,
        "entities": entities,
        "claims": claims,
        "sentiment": sentiment,
        "annotator": annotator,
        "gold": annotator is None,
        "status": status,
        "updated_at": iso_utc(max(map(_changed, annotations), default=None) or fallback_time),
    }


def article_record(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Fold one annotator's paragraph records of an article into one record."""
    first = records[0]
    times = [r["updated_at"] for r in records if r["updated_at"]]
    return {
        "format_version": FORMAT_VERSION,
        "project": first["project"],
        "article": first["article"],
        "annotator": first["annotator"],
        "gold": first["gold"],
        "status": first["status"],
        "updated_at": max(times) if times else None,
        "paragraphs": [
            {
                "index": r["paragraph_index"],
                "boilerplate": r["boilerplate"],
                "text": r["text"],
                "entities": r["entities"],
                "claims": r["claims"],
                "sentiment": r["sentiment"],
            }
            for r in records
        ],
    }


_changed = attrgetter("updated_at")


def _layers(
    text: str, annotations: Sequence[StoredAnnotation]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
    """The record's entities and claims in text order, and its sentiment.

    One pass over the rows, each span written as it is met and the lists sorted after (by
    offsets, then id: the same order as sorting the rows); sentiments are read in the order
    they were made. A large export does this once per record: no comprehension here, since
    each costs a function call of its own."""
    if not annotations:
        return [], [], None
    entities: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    feelings: list[StoredAnnotation] = []
    for a in annotations:
        if a.layer == "sentiment":
            feelings.append(a)
        elif a.start is not None:
            if a.layer == "entity":
                entities.append(
                    {
                        "id": a.id,
                        "start": a.start,
                        "end": a.end,
                        "label": a.label,
                        "text": text[a.start : a.end],
                        "source": a.source,
                    }
                )
            elif a.layer == "claim":
                claims.append(_claim(text, a))
    entities.sort(key=_text_order)
    claims.sort(key=_text_order)
    feelings.sort(key=_made_order)
    return entities, claims, _sentiment(feelings)


#: Spans (as written) by offsets, then id; sentiments (rows) by id. Keys read in C: a span
#: always has both offsets (the offsets constraint), so no None needs a stand-in.
_text_order = itemgetter("start", "end", "id")
_made_order = attrgetter("id")


def _claim(text: str, a: StoredAnnotation) -> dict[str, Any]:
    attributes = attributes_of(a)
    claimant = attributes.get("claimant")
    return {
        "id": a.id,
        "start": a.start,
        "end": a.end,
        "text": text[a.start : a.end],
        "type": a.label,
        "attribution": attributes.get("attribution"),
        "claimant": (
            {"entity_id": claimant.get("entity_id"), "text": claimant.get("text") or ""}
            if isinstance(claimant, dict)
            else None
        ),
        "checkworthy": attributes.get("checkworthy"),
        "source": a.source,
    }


def _sentiment(feelings: Sequence[StoredAnnotation]) -> dict[str, Any] | None:
    """The paragraph's own sentiment and those towards entities, from sentiments by id."""
    if not feelings:
        return None
    overall = None
    targets = []
    for a in feelings:  # one pass: the first without a target is the paragraph's own
        target = attributes_of(a).get("target_id")
        if target:  # an entity's id; int(): rows stored before the rules made 2.0 into 2
            targets.append({"entity_id": int(target), "label": a.label, "source": a.source})
        elif overall is None:
            overall = a
    return {
        "label": overall.label if overall else None,
        "source": overall.source if overall else None,
        "targets": targets,
    }


def write(records: Iterable[dict[str, Any]], schema: dict[str, Any]) -> Iterator[bytes]:
    """The records as they are, one JSON line each."""
    return map(json_line, records)


def meta(record: dict[str, Any]) -> dict[str, Any]:
    """Where a record came from, for formats with a `meta`: how an import finds its paragraph."""
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


# --- reader ---------------------------------------------------------------------------------


def read(record: dict[str, Any], number: int) -> list[RecordDraft]:
    """A paragraph record, or an article record with its paragraphs, as drafts."""
    if record["format_version"] != FORMAT_VERSION:
        raise ValueError(f"format_version {record['format_version']!r} is not supported")
    paragraphs = record.get("paragraphs", [record])
    return [
        _paragraph_draft(record, p, number, p.get("index", p.get("paragraph_index")))
        for p in paragraphs
    ]


def _paragraph_draft(
    record: dict[str, Any], p: dict[str, Any], number: int, index: Any
) -> RecordDraft:
    if not isinstance(index, int) or isinstance(index, bool):
        raise ValueError("the paragraph index must be an integer")
    key = article_key(record["article"])
    if key is None:
        raise KeyError("title")
    draft = RecordDraft(number, text_of(p), record["annotator"], record.get("status"), key, index)
    draft.entities = [
        SpanDraft(e["start"], e["end"], e["label"], e["text"], e["id"], source=_source(e))
        for e in p["entities"]
    ]
    draft.claims = [
        SpanDraft(
            c["start"], c["end"], c["type"], c["text"], c["id"], claim_attributes(c), _source(c)
        )
        for c in p["claims"]
    ]
    sentiment = p.get("sentiment") or {}
    draft.sentiment = sentiment.get("label")
    draft.sentiment_source = _source(sentiment) if draft.sentiment else None
    targets = sentiment.get("targets", [])
    draft.targets = [(t["entity_id"], t["label"]) for t in targets]
    draft.target_sources = {t["entity_id"]: _source(t) for t in targets}
    return draft


def _source(annotation: dict[str, Any]) -> str | None:
    """Provenance, absent from files written before it was exported."""
    source = annotation.get("source")
    if source is not None and not isinstance(source, str):
        raise ValueError("'source' must be a string")
    return source
