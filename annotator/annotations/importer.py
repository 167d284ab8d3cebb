"""Import parsed annotation drafts: find each paragraph and person, then hand every
annotation to the writer, which checks the same rules as the API.

A batch of records at a time: its paragraphs, people and stored work are read in a few
queries, its annotations checked in memory and written by writer.create_many with a few
statements, so memory follows the batch and time the file. All or nothing: the first
problem raises an IngestError naming the file and line, and the caller rolls back the one
transaction. Flushes only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import select

from annotator.annotations import import_queries as queries
from annotator.annotations.first_lines import FirstLines
from annotator.annotations.rules import Proposal
from annotator.annotations.writer import BatchError, Known, NewAnnotation, Ref, create_many
from annotator.formats.drafts import RecordDraft
from annotator.ingest import IngestError
from annotator.loading import Collections
from annotator.models import DbSession, Paragraph, Project, Status, User

#: Records per batch: paragraph ids per query, and what is held in memory at once.
BATCH = 500
#: Batches between full garbage collections (annotator.loading.Collections).
COLLECT_EVERY = 10


class StoredParagraph(NamedTuple):
    """The columns of a paragraph an import needs, without an ORM object per paragraph (a
    named tuple: a frozen dataclass costs thrice to build, and an import makes one per
    paragraph it reads). Its boilerplate flag is the writer's to read, under its lock
    (writer.shared)."""

    id: int
    article_id: int
    text: str


@dataclass
class Target:
    """Where a draft lands: a paragraph and the person it is stored for."""

    draft: RecordDraft
    paragraph: StoredParagraph
    user: User
    gold: bool
    #: user.id, read once: the checks, statuses and items of a batch each need it, and each
    #: read of an ORM attribute goes through its descriptor.
    owner_id: int


@dataclass
class ImportReport:
    records: int = 0
    annotations: int = 0
    annotators: set[str] = field(default_factory=set)
    #: Model pre-annotations (Label Studio predictions): kept apart, not stored as anyone's work.
    predictions: int = 0
    #: Records the file itself marks as not to be used: (file and line, reason).
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Run:
    """What one import keeps from batch to batch: small, whatever the file's size."""

    name: str
    project_id: int
    #: The line that imported each (paragraph, person, gold): a file names each once.
    first: FirstLines
    report: ImportReport = field(default_factory=ImportReport)
    known: Known = field(default_factory=Known)


def import_annotations(
    session: DbSession,
    project: Project,
    name: str,
    drafts: Iterable[RecordDraft],
    as_annotator: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check and store every draft, a batch at a time; an IngestError means the caller must
    roll back, which leaves the database untouched. progress(n): n more records done."""
    resolver = _Resolver(session, project, name, as_annotator)
    run = _Run(name, project.id, FirstLines(session))
    session.flush()  # the per-batch reads below are Core's, which do not flush the session
    collections = Collections(every=COLLECT_EVERY)
    for chunk in _batches(drafts):
        work = [d for d in chunk if d.prediction is None]
        run.report.predictions += len(chunk) - len(work)
        targets = resolver.targets(work)
        _check_unique(run, targets)
        _check_untouched(session, name, targets)
        _store(session, run, targets)
        collections.batch_done()
        if progress is not None:
            progress(len(chunk))
    run.first.close()
    return run.report


def _batches(drafts: Iterable[RecordDraft]) -> Iterator[list[RecordDraft]]:
    iterator = iter(drafts)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


def paragraph_of(session: DbSession, project: Project, name: str, draft: RecordDraft) -> Paragraph:
    """The project's paragraph a draft is about (by article and position, else by text), or
    an IngestError naming the line; imported predictions find theirs the same way."""
    found = _Resolver(session, project, name, None).paragraph(draft)
    paragraph = session.get(Paragraph, found.id)
    assert paragraph is not None  # just read, in this transaction
    return paragraph


class _Resolver:
    """Finds the paragraph and the person of each draft, a batch of drafts per query."""

    def __init__(self, session: DbSession, project: Project, name: str, as_annotator: str | None):
        self.session, self.project, self.name = session, project, name
        self.users: dict[str, User] = {}
        #: The same users by the name a file gives: a draft's name is read once per import,
        #: not normalised again for each of its records.
        self.named: dict[str, User] = {}
        self.as_annotator = as_annotator

    @property
    def override(self) -> User | None:
        """The --as-annotator user, looked up when the first batch is read: a broken line
        in it is reported before a missing user, as when the whole file was read first."""
        return self._user(self.as_annotator, None) if self.as_annotator else None

    def _user(self, username: str, line: int | None) -> User:
        found = self.named.get(username)
        if found is None:
            found = self.named[username] = self._user_by_key(username, line)
        return found

    def _user_by_key(self, username: str, line: int | None) -> User:
        key = User.key_for(username)
        if key not in self.users:
            user = self.session.scalar(select(User).where(User.username_key == key))
            if user is None:
                raise IngestError(self.name, line, f"no user named {username!r}")
            self.users[key] = user
        return self.users[key]

    def targets(self, drafts: Sequence[RecordDraft]) -> list[Target]:
        """Each draft's target, in file order, so the first problem is the first line's."""
        keys = [_key(d) for d in drafts]  # each draft's once, for the queries and the look-ups
        by_position = self._by_position(keys)
        by_text = self._by_text(
            [d for d, k in zip(drafts, keys, strict=True) if k not in by_position]
        )
        override = self.override  # a look-up in self.users, not a query, after the first
        return [
            self._target(d, self._paragraph(d, k, by_position, by_text), override)
            for d, k in zip(drafts, keys, strict=True)
        ]

    def paragraph(self, draft: RecordDraft) -> StoredParagraph:
        """One draft's paragraph, for a caller that places drafts one at a time."""
        key = _key(draft)
        by_position = self._by_position([key])
        by_text = self._by_text([draft] if key not in by_position else [])
        return self._paragraph(draft, key, by_position, by_text)

    def _target(
        self, draft: RecordDraft, paragraph: StoredParagraph, override: User | None
    ) -> Target:
        if override is not None:
            gold = draft.annotator is None and draft.status is not None
            return Target(draft, paragraph, override, gold, override.id)
        if draft.annotator is None:
            why = "gold records" if draft.status is not None else "records without an annotator"
            raise IngestError(self.name, draft.line, f"{why} need --as-annotator NAME")
        user = self._user(draft.annotator, draft.line)
        return Target(draft, paragraph, user, False, user.id)

    def _paragraph(
        self,
        draft: RecordDraft,
        key: tuple[str, str, int] | None,
        by_position: dict[tuple[str, str, int], StoredParagraph],
        by_text: dict[str, list[StoredParagraph]],
    ) -> StoredParagraph:
        if key is not None:
            paragraph = by_position.get(key)
            if paragraph is AMBIGUOUS:
                raise IngestError(
                    self.name,
                    draft.line,
                    f"more than one article in project {self.project.slug!r} has {key[0]} "
                    f"{key[1]!r}: the record cannot say which of them it is about",
                )
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
                    f"no article with {key[0]} {key[1]!r} and paragraph "
                    f"{key[2]} in project {self.project.slug!r}",
                )
        return self._only(draft, by_text.get(draft.text, []))

    def _only(self, draft: RecordDraft, found: list[StoredParagraph]) -> StoredParagraph:
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

    def _by_position(
        self, keys: Sequence[tuple[str, str, int] | None]
    ) -> dict[tuple[str, str, int], StoredParagraph]:
        """The paragraphs the drafts' keys name by article and position: a query per kind."""
        found: dict[tuple[str, str, int], StoredParagraph] = {}
        for kind in ("external_id", "title"):
            values = sorted({k[1] for k in keys if k is not None and k[0] == kind})
            if not values:
                continue
            parameters = {"project_id": self.project.id, "values": values}
            rows = self.session.connection().execute(queries.by_position(kind), parameters)
            for row in rows.all():  # one fetch, not one per row
                key = (kind, row[3], row[4])
                stored = found.get(key)
                if stored is None:
                    found[key] = _stored_paragraph(row[:3])
                elif stored.article_id != row[1]:
                    found[key] = AMBIGUOUS  # two articles of one id or title: say which?
        return found

    def _by_text(self, drafts: Sequence[RecordDraft]) -> dict[str, list[StoredParagraph]]:
        """Paragraphs with the drafts' texts (two at most per text: one is enough to refuse)."""
        texts = sorted({d.text for d in drafts})
        found: dict[str, list[StoredParagraph]] = {}
        if not texts:
            return found
        parameters = {"project_id": self.project.id, "texts": texts}
        for row in self.session.connection().execute(queries.by_text(), parameters).all():
            found.setdefault(row[2], []).append(_stored_paragraph(row[:3]))
        return found


#: What a key that names paragraphs of two articles finds: the import refuses the record
#: rather than put its work on whichever article came first.
AMBIGUOUS = StoredParagraph(0, 0, "")

#: A row's first three columns as a StoredParagraph, built in C: StoredParagraph(*row[:3])
#: without its __new__'s Python frame (one per record of an import).
_stored_paragraph = partial(tuple.__new__, StoredParagraph)


def _key(draft: RecordDraft) -> tuple[str, str, int] | None:
    if draft.article_key is None or draft.paragraph_index is None:
        return None
    return (draft.article_key[0], draft.article_key[1], draft.paragraph_index)


def _check_unique(run: _Run, targets: Sequence[Target]) -> None:
    records = [((t.paragraph.id, t.owner_id, t.gold), t.draft.line) for t in targets]
    repeated = run.first.repeated(records) if records else None
    if repeated is not None:
        index, earlier = repeated
        t = targets[index]
        raise IngestError(
            run.name, t.draft.line, f"the same paragraph for {t.user.username} as line {earlier}"
        )


def _check_untouched(session: DbSession, name: str, targets: Sequence[Target]) -> None:
    """An import adds to empty paragraphs only: it never mixes with work already there."""
    taken = _owners_with_work(session, sorted({t.paragraph.id for t in targets}))
    for t in targets:
        if (t.paragraph.id, t.owner_id, t.gold) in taken:
            raise IngestError(
                name,
                t.draft.line,
                f"{t.user.username} already has annotations in this paragraph; "
                "nothing was imported",
            )


def _owners_with_work(session: DbSession, paragraph_ids: list[int]) -> set[tuple[int, int, bool]]:
    """(paragraph, annotator, gold) of the annotations already in these paragraphs."""
    if not paragraph_ids:
        return set()
    parameters = {"paragraph_ids": paragraph_ids}
    rows = session.connection().execute(queries.owners_with_work(), parameters).all()
    return {(p, a, bool(g)) for p, a, g in rows}


def _items(targets: Sequence[Target]) -> tuple[list[NewAnnotation], list[int]]:
    """Every annotation of every draft, for the writer; and the file line of each."""
    items: list[NewAnnotation] = []
    lines: list[int] = []
    for t in targets:
        made = _draft_items(t)
        items += made
        lines += [t.draft.line] * len(made)
    return items, lines


def _draft_items(t: Target) -> list[NewAnnotation]:
    """A draft's annotations; the ids the file gives become Refs, unique in the import. A
    list, not a generator: most drafts hold a few entities and a sentiment, and a generator
    costs a frame resumed per item."""
    d, paragraph, user, gold, owner = t.draft, t.paragraph, t.user, t.gold, t.owner_id
    scope = (paragraph.article_id, owner, gold)
    items = [
        NewAnnotation(
            paragraph,
            user,
            Proposal("entity", e.start, e.end, e.label, {}, e.text),
            gold,
            e.source or "import",
            None if e.old_id is None else _ref(scope, e.old_id),
            owner,
        )
        for e in d.entities
    ]
    for c in d.claims:
        attributes = dict(c.attributes)
        claimant = attributes.get("claimant")
        if isinstance(claimant, dict) and claimant.get("entity_id") is not None:
            attributes["claimant"] = {**claimant, "entity_id": _ref(scope, claimant["entity_id"])}
        proposal = Proposal("claim", c.start, c.end, c.label, attributes, c.text)
        items.append(
            NewAnnotation(paragraph, user, proposal, gold, c.source or "import", None, owner)
        )
    if d.sentiment is not None:
        proposal = Proposal("sentiment", label=d.sentiment)
        source = d.sentiment_source or "import"
        items.append(NewAnnotation(paragraph, user, proposal, gold, source, None, owner))
    for target, label in d.targets:
        proposal = Proposal("sentiment", label=label, attributes={"target_id": _ref(scope, target)})
        source = d.target_sources.get(target) or "import"
        items.append(NewAnnotation(paragraph, user, proposal, gold, source, None, owner))
    return items


def _ref(scope: tuple[int, int, bool], old_id: Any) -> Ref:
    """The Ref of an id a file gives, in the scope (article, owner, gold) that makes it unique."""
    return Ref((*scope, old_id))


def _described(proposal: Proposal) -> str:
    """The annotation an error is about, as the file gave it: `entity 'PERSON' [0, 999]`."""
    if proposal.layer == "sentiment":
        return f"sentiment {proposal.label!r}"
    return f"{proposal.layer} {proposal.label!r} [{proposal.start}, {proposal.end}]"


def _store(session: DbSession, run: _Run, targets: Sequence[Target]) -> None:
    items, lines = _items(targets)
    try:
        create_many(session, None, items, run.project_id, _statuses(targets), run.known)
    except BatchError as error:
        where = _described(items[error.index].proposal)
        problem = error.problem
        message = f"{where}: {problem.field}: {problem.message}"
        raise IngestError(run.name, lines[error.index], message) from None
    run.report.records += len(targets)
    run.report.annotations += len(items)
    run.report.annotators |= {user.username for user in {t.user for t in targets}}


def _statuses(targets: Sequence[Target]) -> dict[tuple[int, int], str]:
    """Where each person's articles stand after the import: done if a record says so."""
    wanted: dict[tuple[int, int], str] = {}
    for t in targets:
        if not t.gold:
            key = (t.paragraph.article_id, t.owner_id)
            done = t.draft.status == _DONE or wanted.get(key) == _DONE
            wanted[key] = _DONE if done else _IN_PROGRESS
    return wanted


#: The statuses' values, read once: each read of an enum member's value goes through a
#: descriptor, and _statuses made three per record.
_DONE, _IN_PROGRESS = Status.DONE.value, Status.IN_PROGRESS.value
