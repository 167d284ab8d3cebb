"""Per-project boilerplate rules: add, preview, apply in one transaction, undo exactly.

A paragraph someone has annotated is never hidden silently: preview marks it, apply leaves it
as it is unless the admin includes it, and the rule page lists what was left. Services flush
only; the view commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Exists, delete, exists, func, insert, select, update

from annotator.annotations.writer.shared import lock_paragraphs_for_flag
from annotator.audit import record
from annotator.boilerplate.patterns import Matcher, Pattern, matcher, validate
from annotator.models import (
    Annotation,
    Article,
    BoilerplateChange,
    BoilerplateRule,
    DbSession,
    Paragraph,
    Project,
    User,
    utcnow,
)

CHUNK = 500


class RuleError(Exception):
    """A rule that cannot do this now (already applied, not applied); said to the admin."""


def flag_name(makes_boilerplate: bool) -> str:
    return "boilerplate" if makes_boilerplate else "content"


def rule_state(rule: BoilerplateRule) -> dict[str, object]:
    """The audited fields of a rule."""
    return {
        "kind": rule.kind,
        "pattern": rule.pattern,
        "flag": flag_name(rule.makes_boilerplate),
        "applied": rule.applied_at is not None,
    }


def add_rule(
    session: DbSession, actor: User, project: Project, kind: str, pattern: str, flag: str
) -> BoilerplateRule:
    """A new rule, not yet applied; its pattern is validated and tried on the project's text
    (PatternError names what is wrong)."""
    checked = validate(kind, pattern)
    rule = BoilerplateRule(
        project_id=project.id,
        kind=checked.kind,
        pattern=checked.pattern,
        makes_boilerplate=flag == "boilerplate",
        created_by_id=actor.id,
    )
    candidates(session, rule)  # a regex too slow on this project's text is refused here
    session.add(rule)
    session.flush()
    record(
        session,
        actor,
        "boilerplate_rule.add",
        ("boilerplate_rule", rule.id),
        None,
        rule_state(rule),
    )
    return rule


# --- preview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A paragraph the rule would change; annotated ones are protected."""

    paragraph_id: int
    annotated: bool


def _annotated() -> Exists:
    return exists().where(Annotation.paragraph_id == Paragraph.id)


def candidates(session: DbSession, rule: BoilerplateRule) -> list[Candidate]:
    """Paragraphs of the rule's project that it matches and whose flag it would change, in
    order; a regex over its time budget raises PatternTooSlow."""
    matches = _matcher(rule)
    query = (
        select(Paragraph.id, Paragraph.text, _annotated())
        .join(Article, Article.id == Paragraph.article_id)
        .where(
            Article.project_id == rule.project_id,
            Paragraph.is_boilerplate != rule.makes_boilerplate,
        )
        .order_by(Paragraph.id)
    )
    rows = session.execute(query.execution_options(yield_per=1000))
    return [
        Candidate(pid, bool(annotated) and rule.makes_boilerplate)
        for pid, text, annotated in rows
        if matches(text)
    ]


def _matcher(rule: BoilerplateRule, seconds: float | None = 3.0) -> Matcher:
    return matcher(Pattern(rule.kind, rule.pattern), seconds)


@dataclass(frozen=True)
class PreviewRow:
    paragraph: Paragraph
    article_title: str
    annotated: bool


def preview_rows(session: DbSession, found: Sequence[Candidate]) -> list[PreviewRow]:
    """The paragraphs (with their article's title) of a page of candidates."""
    ids = [c.paragraph_id for c in found]
    rows = session.execute(
        select(Paragraph, Article.title)
        .join(Article, Article.id == Paragraph.article_id)
        .where(Paragraph.id.in_(ids))
    ).all()
    by_id = {paragraph.id: (paragraph, title) for paragraph, title in rows}
    return [
        PreviewRow(*by_id[c.paragraph_id], c.annotated) for c in found if c.paragraph_id in by_id
    ]


# --- apply and undo -----------------------------------------------------------------------


@dataclass
class Outcome:
    """What apply or undo did: paragraphs changed, and annotated ones left as they were."""

    changed: int = 0
    left_annotated: list[int] = field(default_factory=list)


def apply_rule(
    session: DbSession, actor: User, rule: BoilerplateRule, include_annotated: bool = False
) -> Outcome:
    """Put the rule in force and flip every paragraph it matches, in the caller's transaction.
    Annotated paragraphs stay as they are unless include_annotated."""
    _claim(session, rule, BoilerplateRule.applied_at.is_(None), applied=True, actor=actor)
    found = candidates(session, rule)
    protect = not include_annotated
    outcome = Outcome(left_annotated=[c.paragraph_id for c in found if c.annotated and protect])
    wanted = [c.paragraph_id for c in found if not (c.annotated and protect)]
    unless_annotated = protect and rule.makes_boilerplate
    changed = _flip(session, rule, wanted, rule.makes_boilerplate, unless_annotated)
    _remember(session, rule, changed)
    outcome.changed = len(changed)
    after = {
        **rule_state(rule),
        "changed": outcome.changed,
        "left_annotated": len(outcome.left_annotated),
        "include_annotated": include_annotated,
    }
    record(session, actor, "boilerplate_rule.apply", ("boilerplate_rule", rule.id), None, after)
    return outcome


def undo_rule(session: DbSession, actor: User, rule: BoilerplateRule) -> Outcome:
    """Take the rule out of force and restore exactly the paragraphs it changed that still
    carry its flag; a paragraph annotated since is not hidden again (it is listed)."""
    _claim(session, rule, BoilerplateRule.applied_at.is_not(None), applied=False, actor=actor)
    ids = list(
        session.scalars(
            select(BoilerplateChange.paragraph_id).where(BoilerplateChange.rule_id == rule.id)
        )
    )
    restoring_to_boilerplate = not rule.makes_boilerplate
    restored = _flip(session, rule, ids, not rule.makes_boilerplate, restoring_to_boilerplate)
    outcome = Outcome(changed=len(restored))
    if restoring_to_boilerplate:
        outcome.left_annotated = _still_flagged(session, set(ids) - set(restored), rule)
    session.execute(delete(BoilerplateChange).where(BoilerplateChange.rule_id == rule.id))
    after = {
        **rule_state(rule),
        "restored": outcome.changed,
        "left_annotated": len(outcome.left_annotated),
    }
    record(session, actor, "boilerplate_rule.undo", ("boilerplate_rule", rule.id), None, after)
    return outcome


def delete_rule(session: DbSession, actor: User, rule: BoilerplateRule) -> None:
    """Remove a rule that is not in force (undo it first): it has changed nothing now."""
    if rule.applied_at is not None:
        raise RuleError("Undo this rule before deleting it.")
    before = rule_state(rule)
    rule_id = rule.id
    session.delete(rule)
    session.flush()
    record(session, actor, "boilerplate_rule.delete", ("boilerplate_rule", rule_id), before, None)


def _claim(
    session: DbSession, rule: BoilerplateRule, condition: object, applied: bool, actor: User
) -> None:
    """Move the rule between applied and not applied with one conditional UPDATE: of two
    admins pressing the same button, the second finds it done (row lock on PostgreSQL)."""
    values = (
        {"applied_at": utcnow(), "applied_by_id": actor.id} if applied else {"applied_at": None}
    )
    result = session.execute(
        update(BoilerplateRule)
        .where(BoilerplateRule.id == rule.id, condition)  # type: ignore[arg-type]
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RuleError("This rule is already applied." if applied else "This rule is not applied.")
    session.refresh(rule)


def _flip(
    session: DbSession, rule: BoilerplateRule, ids: Sequence[int], to: bool, unless_annotated: bool
) -> list[int]:
    """Set the flag on those of the rule's ids that do not have it yet (and, when asked, that
    nobody has annotated, checked in the same statement); the ids actually changed."""
    changed: list[int] = []
    # writes in flight there first; all, in id order, under the project's flags lock
    lock_paragraphs_for_flag(session, rule.project_id, ids)
    for chunk in _chunks(ids):
        statement = update(Paragraph).where(Paragraph.id.in_(chunk), Paragraph.is_boilerplate != to)
        if unless_annotated:
            statement = statement.where(~_annotated())
        result = session.execute(
            statement.values(is_boilerplate=to)
            .returning(Paragraph.id)
            .execution_options(synchronize_session=False)
        )
        changed.extend(result.scalars())
    session.expire_all()
    return changed


def _remember(session: DbSession, rule: BoilerplateRule, ids: Iterable[int]) -> None:
    rows = [
        {"rule_id": rule.id, "paragraph_id": pid, "was_boilerplate": not rule.makes_boilerplate}
        for pid in ids
    ]
    if rows:
        session.execute(insert(BoilerplateChange), rows)


def _still_flagged(session: DbSession, ids: set[int], rule: BoilerplateRule) -> list[int]:
    query = select(Paragraph.id).where(
        Paragraph.id.in_(ids), Paragraph.is_boilerplate == rule.makes_boilerplate
    )
    return sorted(session.scalars(query)) if ids else []


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# --- lists and imports ----------------------------------------------------------------------


def project_rules(session: DbSession, project: Project) -> list[tuple[BoilerplateRule, int]]:
    """The project's rules, newest first, with how many paragraphs each has changed."""
    changed = (
        select(func.count())
        .where(BoilerplateChange.rule_id == BoilerplateRule.id)
        .scalar_subquery()
    )
    query = (
        select(BoilerplateRule, changed)
        .where(BoilerplateRule.project_id == project.id)
        .order_by(BoilerplateRule.id.desc())
    )
    return [(rule, count) for rule, count in session.execute(query)]


def rules_in_force(session: DbSession, project_id: int) -> list[BoilerplateRule]:
    query = (
        select(BoilerplateRule)
        .where(BoilerplateRule.project_id == project_id, BoilerplateRule.applied_at.is_not(None))
        .order_by(BoilerplateRule.id)
    )
    return list(session.scalars(query))


def apply_on_import(session: DbSession, project: Project, article_ids: Sequence[int]) -> int:
    """Let the project's rules in force mark freshly imported paragraphs (the first matching
    rule decides), remembering each change for undo; returns the change in the number of
    boilerplate paragraphs. The import inserted its rows in bulk, so this reads them back
    by article and flips the flags with one UPDATE per flag and chunk."""
    rules = rules_in_force(session, project.id) if article_ids else []
    if not rules:
        return 0
    matchers = [(rule, _matcher(rule, None)) for rule in rules]
    changes: dict[int, list[int]] = {}
    flips: dict[bool, list[int]] = {True: [], False: []}
    for chunk in _chunks(list(article_ids)):
        paragraphs = session.execute(
            select(Paragraph.id, Paragraph.text, Paragraph.is_boilerplate).where(
                Paragraph.article_id.in_(chunk)
            )
        )
        for paragraph_id, text, flag in paragraphs:
            rule = next((r for r, matches in matchers if matches(text)), None)
            if rule is not None and flag != rule.makes_boilerplate:
                flips[rule.makes_boilerplate].append(paragraph_id)
                changes.setdefault(rule.id, []).append(paragraph_id)
    for flag, ids in flips.items():
        for chunk in _chunks(ids):
            session.execute(
                update(Paragraph)
                .where(Paragraph.id.in_(chunk))
                .values(is_boilerplate=flag)
                .execution_options(synchronize_session=False)
            )
    for rule, _ in matchers:
        _remember(session, rule, changes.get(rule.id, []))
    return len(flips[True]) - len(flips[False])
