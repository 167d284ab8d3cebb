"""Import parsed annotation drafts: find each paragraph and person, then hand every
annotation to the writer, which checks the same rules as the API.

All or nothing: the first problem raises an IngestError naming the file and line, and the
caller rolls back. Flushes only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from annotator.annotations.rules import Proposal
from annotator.annotations.writer import BatchError, NewAnnotation, Ref, create_many, raise_status
from annotator.formats.drafts import RecordDraft
from annotator.ingest import IngestError
from annotator.models import Annotation, Article, DbSession, Paragraph, Project, Status, User

#: Paragraph ids per query when checking what is already stored.
BATCH = 500


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
    #: Model pre-annotations (Label Studio predictions): kept apart, not stored as anyone's work.
    predictions: int = 0
    #: Records the file itself marks as not to be used: (file and line, reason).
    skipped: list[tuple[str, str]] = field(default_factory=list)


def import_annotations(
    session: DbSession,
    project: Project,
    name: str,
    drafts: Sequence[RecordDraft],
    as_annotator: str | None = None,
) -> ImportReport:
    """Check every draft, then store them all; an IngestError leaves the database untouched."""
    resolver = _Resolver(session, project, name, as_annotator)
    work = [d for d in drafts if d.prediction is None]
    targets = [resolver.target(d) for d in work]
    _check_unique(name, targets)
    _check_untouched(session, name, targets)
    report = _store(session, name, targets)
    report.predictions = len(drafts) - len(work)
    return report


def paragraph_of(session: DbSession, project: Project, name: str, draft: RecordDraft) -> Paragraph:
    """The project's paragraph a draft is about (by article and position, else by text), or
    an IngestError naming the line; imported predictions find theirs the same way."""
    return _Resolver(session, project, name, None).paragraph(draft)


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
        paragraph = self.paragraph(draft)
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

    def paragraph(self, draft: RecordDraft) -> Paragraph:
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


def _check_untouched(session: DbSession, name: str, targets: Sequence[Target]) -> None:
    """An import adds to empty paragraphs only: it never mixes with work already there."""
    taken = _owners_with_work(session, sorted({t.paragraph.id for t in targets}))
    for t in targets:
        if (t.paragraph.id, t.user.id, t.gold) in taken:
            raise IngestError(
                name,
                t.draft.line,
                f"{t.user.username} already has annotations in this paragraph; "
                "nothing was imported",
            )


def _owners_with_work(session: DbSession, paragraph_ids: list[int]) -> set[tuple[int, int, bool]]:
    """(paragraph, annotator, gold) of the annotations already in these paragraphs, read in a
    few queries however long the file: one per batch of paragraphs, not one per record."""
    taken: set[tuple[int, int, bool]] = set()
    for first in range(0, len(paragraph_ids), BATCH):
        query = (
            select(Annotation.paragraph_id, Annotation.annotator_id, Annotation.is_gold)
            .where(Annotation.paragraph_id.in_(paragraph_ids[first : first + BATCH]))
            .distinct()
        )
        taken.update((p, a, bool(g)) for p, a, g in session.execute(query))
    return taken


def _items(targets: Sequence[Target]) -> tuple[list[NewAnnotation], list[int]]:
    """Every annotation of every draft, for the writer; and the file line of each."""
    items: list[NewAnnotation] = []
    lines: list[int] = []
    for t in targets:
        for item in _draft_items(t):
            items.append(item)
            lines.append(t.draft.line)
    return items, lines


def _draft_items(t: Target) -> Iterator[NewAnnotation]:
    d = t.draft

    def ref(old_id: Any) -> Ref | None:
        return Ref((t.paragraph.article_id, t.user.id, t.gold, old_id))

    def item(proposal: Proposal, source: str | None, old_id: Any = None) -> NewAnnotation:
        return NewAnnotation(
            t.paragraph,
            t.user,
            proposal,
            gold=t.gold,
            source=source or "import",
            ref=ref(old_id) if old_id is not None else None,
        )

    for e in d.entities:
        proposal = Proposal("entity", e.start, e.end, e.label, {}, e.text)
        yield item(proposal, e.source, e.old_id)
    for c in d.claims:
        attributes = dict(c.attributes)
        claimant = attributes.get("claimant")
        if isinstance(claimant, dict) and claimant.get("entity_id") is not None:
            attributes["claimant"] = {**claimant, "entity_id": ref(claimant["entity_id"])}
        yield item(Proposal("claim", c.start, c.end, c.label, attributes, c.text), c.source)
    if d.sentiment is not None:
        yield item(Proposal("sentiment", label=d.sentiment), d.sentiment_source)
    for target, label in d.targets:
        proposal = Proposal("sentiment", label=label, attributes={"target_id": ref(target)})
        yield item(proposal, d.target_sources.get(target))


def _described(proposal: Proposal) -> str:
    """The annotation an error is about, as the file gave it: `entity 'PERSON' [0, 999]`."""
    if proposal.layer == "sentiment":
        return f"sentiment {proposal.label!r}"
    return f"{proposal.layer} {proposal.label!r} [{proposal.start}, {proposal.end}]"


def _store(session: DbSession, name: str, targets: Sequence[Target]) -> ImportReport:
    items, lines = _items(targets)
    try:
        create_many(session, None, items)
    except BatchError as error:
        where = _described(items[error.index].proposal)
        problem = error.problem
        message = f"{where}: {problem.field}: {problem.message}"
        raise IngestError(name, lines[error.index], message) from None
    for t in targets:
        if not t.gold:
            wanted = t.draft.status if t.draft.status == Status.DONE else Status.IN_PROGRESS
            raise_status(session, t.paragraph.article_id, t.user.id, str(wanted))
    session.flush()
    return ImportReport(
        records=len(targets),
        annotations=len(items),
        annotators={t.user.username for t in targets},
    )
