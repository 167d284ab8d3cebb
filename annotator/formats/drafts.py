"""Drafts: what a reader makes of an annotation file, before the importer checks and stores it.

Each format module reads into these dataclasses; the importer consumes RecordDraft lists.
This module also holds what readers share: which format a JSONL line is in, the line loop,
and small field readers. No database access; every problem names the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.ingest import IngestError, jsonl_records, parse_json


@dataclass
class SpanDraft:
    start: int
    end: int
    label: str
    text: str | None = None
    old_id: Any = None
    attributes: dict[str, Any] = field(default_factory=dict)
    #: Provenance as the file states it ("manual", "import", "model:NAME"); None: unstated.
    source: str | None = None


@dataclass
class RecordDraft:
    """One paragraph's annotations by one person, as read from one line (or task)."""

    line: int
    text: str
    annotator: str | None
    status: str | None
    article_key: tuple[str, str] | None  # ("external_id" | "title", value)
    paragraph_index: int | None
    entities: list[SpanDraft] = field(default_factory=list)
    claims: list[SpanDraft] = field(default_factory=list)
    sentiment: str | None = None
    targets: list[tuple[Any, str]] = field(default_factory=list)
    #: Provenance of the paragraph sentiment, and of each target sentiment by entity ref.
    sentiment_source: str | None = None
    target_sources: dict[Any, str | None] = field(default_factory=dict)
    #: A model's pre-annotation (Label Studio `predictions`): its model version, else None.
    prediction: str | None = None


@dataclass
class Parsed:
    """A file's drafts, and the records it marks as not to be used: (line, reason)."""

    drafts: list[RecordDraft] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


class Skip(Exception):
    """Raised by a reader for a record its file rejects (Prodigy "reject", a cancelled task)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


LineReader = Callable[[dict[str, Any], int], list[RecordDraft]]


def detect_kind(record: Any) -> str | None:
    """Which format a JSONL line is in, or None when it is no annotation (e.g. an article)."""
    if not isinstance(record, dict) or "title" in record:
        return None
    if "format_version" in record:
        return "native"
    if "spans" in record:
        return "spacy"
    if "text" in record and ("label" in record or "entities" in record):
        return "doccano"
    return None


def read_jsonl(name: str, data: bytes, readers: Mapping[str, LineReader]) -> Parsed:
    """Every line through the reader for its kind; a line no reader knows is an error."""
    parsed = Parsed()
    parsed.drafts.extend(drafts_of(name, jsonl_records(name, data), readers, parsed.skipped))
    return parsed


def stream_jsonl(
    name: str,
    lines: Iterable[bytes],
    readers: Mapping[str, LineReader],
    skipped: list[tuple[int, str]],
) -> Iterator[RecordDraft]:
    """read_jsonl over a file's lines as they are read, so memory follows a line, not the
    file; the records the file itself rejects are added to `skipped`."""
    return drafts_of(name, _numbered_records(name, lines), readers, skipped)


def _numbered_records(name: str, lines: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    """jsonl_records, one line at a time: the same checks, the same line numbers."""
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            raise IngestError(name, number, "the file is not UTF-8 text") from None
        if line:
            yield number, parse_json(name, number, line)


def drafts_of(
    name: str,
    records: Iterable[tuple[int, Any]],
    readers: Mapping[str, LineReader],
    skipped: list[tuple[int, str]],
) -> Iterator[RecordDraft]:
    for number, record in records:
        kind = detect_kind(record)
        reader = readers.get(kind or "")
        if reader is None:
            raise IngestError(name, number, "not a native, doccano or spaCy annotation record")
        try:
            drafts = reader(record, number)
            for draft in drafts:
                consistent(draft)
        except Skip as skip:
            skipped.append((number, skip.reason))
            continue
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise IngestError(name, number, f"malformed {kind} record ({describe(exc)})") from None
        yield from drafts


def require_drafts(name: str, parsed: Parsed) -> Parsed:
    """A file without one usable record is an error, saying what was skipped."""
    if not parsed.drafts:
        skipped = f" ({len(parsed.skipped)} rejected or ignored)" if parsed.skipped else ""
        raise IngestError(name, None, f"no annotation records in the file{skipped}")
    return parsed


def describe(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


# --- what every draft must be ----------------------------------------------------------------

#: A record's status, as our exports write it (models.Status).
STATUSES = frozenset({"not_started", "in_progress", "done"})


def consistent(draft: RecordDraft) -> None:
    """What no format's reader may let through, whatever its file says: ValueError names it.

    The person is a name; the status one of ours; the ids a record gives its spans (which
    claimants and sentiment targets name) are integers or strings, each given once. A file
    that broke these was imported with a guess (the second of two spans with one id took
    the claimant) or stopped the import with a traceback (a name that is a number). Whether
    a claimant or target names the right entity is the rules' to say, as for the API."""
    if draft.annotator is not None and not isinstance(draft.annotator, str):
        raise ValueError("'annotator' must be a name (a string) or null")
    if draft.status is not None and draft.status not in STATUSES:
        raise ValueError(f"'status' must be one of {', '.join(sorted(STATUSES))}")
    spans = [*draft.entities, *draft.claims]
    ids = [span.old_id for span in spans if span.old_id is not None]
    if ids:
        _check_ids(ids)
    for claim in draft.claims:
        claimant = claim.attributes.get("claimant")
        if isinstance(claimant, dict) and claimant.get("entity_id") is not None:
            _check_ids([claimant["entity_id"]], "a claimant's entity_id")
    for target, _label in draft.targets:
        _check_ids([target], "a sentiment target's entity_id")


def _check_ids(ids: list[Any], what: str = "span ids") -> None:
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{what} must be integers or strings, not {value!r}")
    if len(set(ids)) < len(ids):
        twice = next(value for value in ids if ids.count(value) > 1)
        raise ValueError(f"span id {twice!r} is given to two spans of the record")


def one_sentiment(labels: list[Any], where: str) -> Any:
    """The one sentiment that `labels` (a file's list of chosen ones) name, or None; a
    paragraph has one, so two different ones are an error, not the first one kept."""
    chosen = list(dict.fromkeys(labels))
    if len(chosen) > 1:
        raise ValueError(f"{where} names {len(chosen)} sentiments; a paragraph has one")
    return chosen[0] if chosen else None


# --- fields every reader reads ----------------------------------------------------------------


def text_of(record: Mapping[str, Any], key: str = "text") -> str:
    """A text field: a string that can be stored (UTF-8 encodable: no lone surrogate)."""
    text = record[key]
    if not isinstance(text, str):
        raise ValueError(f"'{key}' must be a string")
    return encodable(text, key)


def encodable(text: str, what: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"'{what}' holds a lone surrogate, which is not text") from None
    return text


def article_key(article: Mapping[str, Any]) -> tuple[str, str] | None:
    """How the importer finds the article: its external id, else its title."""
    if article.get("external_id"):
        return ("external_id", str(article["external_id"]))
    if article.get("title"):
        return ("title", str(article["title"]))
    return None


def meta_position(meta: Any) -> tuple[tuple[str, str] | None, int | None]:
    """Article key and paragraph index from a `meta` object our exports write."""
    if not isinstance(meta, dict) or "paragraph_index" not in meta:
        return None, None
    key = article_key(meta)
    return key, paragraph_index(meta["paragraph_index"]) if key else None


def paragraph_index(value: Any) -> int | None:
    """A record's paragraph_index: a whole number from 0, or none. A list or an object was a
    traceback, true was paragraph 1 and 0.0 paragraph 0."""
    if value is None or (type(value) is int and value >= 0):
        return value
    raise ValueError(f"'paragraph_index' must be a whole number from 0, not {value!r}"[:200])


def claim_attributes(claim: Mapping[str, Any]) -> dict[str, Any]:
    """Attribution, claimant and check-worthiness as the importer stores them."""
    claimant = claim.get("claimant")
    if claimant is not None and not isinstance(claimant, dict):
        raise ValueError("a claim's 'claimant' must be an object (entity_id, text) or null")
    return {
        "attribution": claim.get("attribution"),
        "claimant": (
            {
                "entity_id": claimant.get("entity_id"),
                "text": encodable(claimant.get("text") or "", "claimant"),
            }
            if isinstance(claimant, dict)
            else None
        ),
        "checkworthy": claim.get("checkworthy"),
    }
