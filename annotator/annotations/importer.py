"""Store parsed annotation drafts: find each paragraph, check every rule, then write all.

All or nothing: every line is checked against the database and the project's schema
before the first row is added; problems name the file and line. Flushes only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.formats.drafts import RecordDraft, SpanDraft
from annotator.ingest import IngestError
from annotator.models import (
    Annotation,
    AnnotationEvent,
    Article,
    ArticleStatus,
    DbSession,
    Paragraph,
    Project,
    Status,
    User,
)
from annotator.schema import entity_labels
from annotator.text import span_error


@dataclass
class Target:
    """Where a draft lands: a paragraph and the person it is stored for."""

    draft: RecordDraft
    paragraph: Paragraph
    user: User
    gold: bool


@dataclass
class ImportReport:
    records: int = 0
    annotations: int = 0
    annotators: set[str] = field(default_factory=set)


def import_annotations(
    session: DbSession,
    project: Project,
    name: str,
    drafts: Sequence[RecordDraft],
    as_annotator: str | None = None,
) -> ImportReport:
    """Check every draft, then store them all; an IngestError leaves the database untouched."""
    resolver = _Resolver(session, project, name, as_annotator)
    targets = [resolver.target(d) for d in drafts]
    _check_unique(name, targets)
    for target in targets:
        _check_rules(name, project.label_schema, target)
    _check_references(name, targets)
    return _store(session, targets)


class _Resolver:
    def __init__(self, session: DbSession, project: Project, name: str, as_annotator: str | None):
        self.session, self.project, self.name = session, project, name
        self.override = self._user(as_annotator, None) if as_annotator else None

    def _user(self, username: str, line: int | None) -> User:
        user = self.session.scalar(select(User).where(User.username_key == User.key_for(username)))
        if user is None:
            raise IngestError(self.name, line, f"no user named {username!r}")
        return user

    def target(self, draft: RecordDraft) -> Target:
        paragraph = self._paragraph(draft)
        if self.override is not None:
            return Target(
                draft,
                paragraph,
                self.override,
                draft.annotator is None and draft.status is not None,
            )
        if draft.annotator is None:
            why = "gold records" if draft.status is not None else "records without an annotator"
            raise IngestError(self.name, draft.line, f"{why} need --as-annotator NAME")
        return Target(draft, paragraph, self._user(draft.annotator, draft.line), False)

    def _paragraph(self, draft: RecordDraft) -> Paragraph:
        if draft.article_key is not None and draft.paragraph_index is not None:
            paragraph = self._by_position(draft)
            if paragraph is not None:
                if paragraph.text != draft.text:
                    raise IngestError(
                        self.name, draft.line, "the text differs from the stored paragraph"
                    )
                return paragraph
            if draft.status is not None:  # native records must name an existing article
                raise IngestError(
                    self.name,
                    draft.line,
                    f"no article with {draft.article_key[0]} "
                    f"{draft.article_key[1]!r} and paragraph "
                    f"{draft.paragraph_index} in project {self.project.slug!r}",
                )
        return self._by_text(draft)

    def _by_position(self, draft: RecordDraft) -> Paragraph | None:
        assert draft.article_key is not None
        column = Article.external_id if draft.article_key[0] == "external_id" else Article.title
        query = (
            select(Paragraph)
            .join(Article)
            .where(Article.project_id == self.project.id, column == draft.article_key[1])
            .where(Paragraph.position == draft.paragraph_index)
        )
        return self.session.scalars(query).first()

    def _by_text(self, draft: RecordDraft) -> Paragraph:
        query = (
            select(Paragraph)
            .join(Article)
            .where(Article.project_id == self.project.id, Paragraph.text == draft.text)
            .limit(2)
        )
        found = list(self.session.scalars(query))
        if not found:
            raise IngestError(
                self.name,
                draft.line,
                f"no paragraph in project {self.project.slug!r} has this text",
            )
        if len(found) > 1:
            raise IngestError(
                self.name,
                draft.line,
                "several paragraphs have this text; add meta.external_id and "
                "meta.paragraph_index to say which",
            )
        return found[0]


def _check_unique(name: str, targets: Sequence[Target]) -> None:
    seen: dict[tuple[int, int, bool], int] = {}
    for t in targets:
        key = (t.paragraph.id, t.user.id, t.gold)
        if key in seen:
            raise IngestError(
                name, t.draft.line, f"the same paragraph for {t.user.username} as line {seen[key]}"
            )
        seen[key] = t.draft.line


def _check_rules(name: str, schema: dict[str, Any], t: Target) -> None:
    d, text = t.draft, t.paragraph.text
    fail = _failer(name, d.line)
    labels = set(entity_labels(schema))
    for span in d.entities:
        _check_span(fail, text, span, "entity")
        if span.label not in labels:
            fail(f"unknown entity label {span.label!r}")
    ordered = sorted(d.entities, key=lambda s: s.start)
    for left, right in zip(ordered, ordered[1:], strict=False):
        if right.start < left.end:
            fail(f"entity spans overlap at {right.start}")
    claims = schema["claims"]
    for span in d.claims:
        _check_span(fail, text, span, "claim")
        _check_value(fail, span.label, claims["types"], "claim type", required=True)
        _check_value(
            fail, span.attributes.get("attribution"), claims["attributions"], "attribution"
        )
        _check_value(fail, span.attributes.get("checkworthy"), claims["checkworthy"], "checkworthy")
    for value in [d.sentiment, *(label for _, label in d.targets)]:
        _check_value(fail, value, schema["sentiment"], "sentiment")
    if _existing(t):
        fail(f"{t.user.username} already has annotations in this paragraph; nothing was imported")


def _failer(name: str, line: int) -> Any:
    def fail(message: str) -> None:
        raise IngestError(name, line, message)

    return fail


def _check_span(fail: Any, text: str, span: SpanDraft, what: str) -> None:
    problem = span_error(text, span.start, span.end)
    if problem:
        fail(f"bad {what} offsets [{span.start}, {span.end}]: {problem}")
    if span.text is not None and text[span.start : span.end] != span.text:
        fail(f"{what} text {span.text!r} is not the text at [{span.start}, {span.end}]")


def _check_value(
    fail: Any, value: Any, allowed: Sequence[str], what: str, required: bool = False
) -> None:
    if value is None and not required:
        return
    if value not in allowed:
        fail(f"unknown {what} {value!r}")


def _existing(t: Target) -> bool:
    session = _session_of(t.paragraph)
    query = select(Annotation.id).where(
        Annotation.paragraph_id == t.paragraph.id,
        Annotation.annotator_id == t.user.id,
        Annotation.is_gold.is_(t.gold),
    )
    return session.scalar(query.limit(1)) is not None


def _session_of(obj: Any) -> Any:
    from sqlalchemy.orm import object_session

    return object_session(obj)


def _check_references(name: str, targets: Sequence[Target]) -> None:
    """Claimants and sentiment targets must name entities of the same person and article."""
    entities: dict[tuple[int, int, Any], int] = {}
    for t in targets:
        for e in t.draft.entities:
            if e.old_id is not None:
                entities[(t.paragraph.article_id, t.user.id, e.old_id)] = t.paragraph.id
    for t in targets:
        owner = (t.paragraph.article_id, t.user.id)
        for c in t.draft.claims:
            claimant = c.attributes.get("claimant") or {}
            ref = claimant.get("entity_id")
            if ref is not None and (*owner, ref) not in entities:
                raise IngestError(name, t.draft.line, f"claimant entity {ref} is not in the file")
        for ref, _ in t.draft.targets:
            if entities.get((*owner, ref)) != t.paragraph.id:
                raise IngestError(
                    name, t.draft.line, f"sentiment target {ref} is not an entity of this paragraph"
                )


def _store(session: DbSession, targets: Sequence[Target]) -> ImportReport:
    report = ImportReport()
    new_ids: dict[tuple[int, int, Any], int] = {}
    for t in targets:  # entities first: claims and sentiment refer to them
        for e in t.draft.entities:
            row = _add(session, t, "entity", e.label, e.start, e.end, {})
            new_ids[(t.paragraph.article_id, t.user.id, e.old_id)] = row.id
    session.flush()
    for t in targets:
        owner = (t.paragraph.article_id, t.user.id)
        for c in t.draft.claims:
            attributes = _remap_claimant(c.attributes, owner, new_ids)
            _add(session, t, "claim", c.label, c.start, c.end, attributes)
        if t.draft.sentiment:
            _add(session, t, "sentiment", t.draft.sentiment, None, None, {})
        for ref, label in t.draft.targets:
            _add(session, t, "sentiment", label, None, None, {"target_id": new_ids[(*owner, ref)]})
        _mark_status(session, t)
        report.records += 1
        report.annotators.add(t.user.username)
    session.flush()
    report.annotations = sum(
        len(t.draft.entities) + len(t.draft.claims) + len(t.draft.targets) + bool(t.draft.sentiment)
        for t in targets
    )
    return report


def _remap_claimant(
    attributes: dict[str, Any], owner: tuple[int, int], new_ids: dict[tuple[int, int, Any], int]
) -> dict[str, Any]:
    claimant = attributes.get("claimant")
    if not claimant or claimant.get("entity_id") is None:
        return dict(attributes)
    return {
        **attributes,
        "claimant": {**claimant, "entity_id": new_ids[(*owner, claimant["entity_id"])]},
    }


def _add(
    session: DbSession,
    t: Target,
    layer: str,
    label: str,
    start: int | None,
    end: int | None,
    attributes: dict[str, Any],
) -> Annotation:
    row = Annotation(
        paragraph_id=t.paragraph.id,
        annotator_id=t.user.id,
        is_gold=t.gold,
        layer=layer,
        start=start,
        end=end,
        label=label,
        attributes=attributes,
    )
    session.add(row)
    session.flush()
    session.add(
        AnnotationEvent(
            annotation_id=row.id,
            paragraph_id=t.paragraph.id,
            user_id=t.user.id,
            action="create",
            after=_as_json(row),
        )
    )
    return row


def _as_json(row: Annotation) -> dict[str, Any]:
    return {
        "id": row.id,
        "layer": row.layer,
        "start": row.start,
        "end": row.end,
        "label": row.label,
        "attributes": row.attributes,
        "is_gold": row.is_gold,
        "version": 1,
        "source": "import",
    }


def _mark_status(session: DbSession, t: Target) -> None:
    """Imported work counts as started; a native record's status is kept, never lowered."""
    if t.gold:
        return
    status = session.get(ArticleStatus, (t.paragraph.article_id, t.user.id))
    wanted = t.draft.status if t.draft.status in (Status.IN_PROGRESS, Status.DONE) else None
    if status is None:
        status = ArticleStatus(
            article_id=t.paragraph.article_id,
            user_id=t.user.id,
            status=wanted or Status.IN_PROGRESS.value,
        )
        session.add(status)
        session.flush()
    elif status.status != Status.DONE.value and wanted == Status.DONE.value:
        status.status = Status.DONE.value
    elif status.status == Status.NOT_STARTED.value:
        status.status = Status.IN_PROGRESS.value
