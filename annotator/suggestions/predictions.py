"""Imported predictions: `annotator import FILE --as-predictions NAME` reads doccano, spaCy or
native JSONL and stores its entities and paragraph sentiments as suggestions (source
"import:NAME") for everyone in the project, instead of anyone's finished annotations.

All or nothing: every record is placed and checked before anything is stored; a problem
raises an IngestError naming the file and line. Importing the same file again replaces the
open suggestions it made (decided ones stay). Flushes only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.annotations.importer import paragraph_of
from annotator.formats.drafts import RecordDraft
from annotator.ingest import IngestError
from annotator.models import DbSession, Layer, Paragraph, Project
from annotator.suggestions.store import SuggestedSpan, SuggestionError, replace_suggestions

PREFIX = "import:"
MAX_NAME = 90


@dataclass
class PredictionReport:
    paragraphs: int = 0
    suggestions: int = 0
    #: Claims and sentiments towards entities: no suggestion layer holds them.
    left_out: int = 0
    sources: set[str] = field(default_factory=set)


def prediction_source(name: str) -> str:
    """ "import:NAME" for a name of 1 to 90 characters without spaces at its ends."""
    if not name or name != name.strip() or len(name) > MAX_NAME:
        raise ValueError(f"the predictions' name must be 1 to {MAX_NAME} characters")
    return PREFIX + name


def import_predictions(
    session: DbSession, project: Project, name: str, drafts: Sequence[RecordDraft], source: str
) -> PredictionReport:
    """Store the drafts' entities and sentiments as suggestions of `source`."""
    items: list[SuggestedSpan] = []
    lines: list[int] = []
    report = PredictionReport(sources={source})
    paragraphs: set[int] = set()
    for draft in drafts:
        paragraph = paragraph_of(session, project, name, draft)
        paragraphs.add(paragraph.id)
        for item in _suggested(name, paragraph, draft):
            items.append(item)
            lines.append(draft.line)
        report.left_out += len(draft.claims) + len(draft.targets)
    try:
        result = replace_suggestions(session, sorted(paragraphs), source, items)
    except SuggestionError as error:
        raise IngestError(name, lines[error.index], f"{error.field}: {error.message}") from None
    report.paragraphs = len(paragraphs)
    report.suggestions = result.added + result.kept
    return report


def _suggested(name: str, paragraph: Paragraph, draft: RecordDraft) -> list[SuggestedSpan]:
    found = []
    for e in draft.entities:
        # Offsets that are not whole numbers are left to replace_suggestions, which says so
        # with the line; slicing by them here was a traceback.
        whole = type(e.start) is int and type(e.end) is int
        if whole and e.text is not None and paragraph.text[e.start : e.end] != e.text:
            raise IngestError(
                name, draft.line, f"entity {e.label!r} [{e.start}, {e.end}]: text does not match"
            )
        found.append(SuggestedSpan(paragraph.id, Layer.ENTITY.value, e.label, e.start, e.end))
    if draft.sentiment is not None:
        found.append(SuggestedSpan(paragraph.id, Layer.SENTIMENT.value, draft.sentiment))
    return found
