"""Article status, written only as upserts; the upsert is also the writer's scope lock.

Each upsert (a claim) also adds one to the row's revision, so a writer that read the scope
before it claimed can tell from the revision its claim returns whether another writer
claimed the scope in between (writer.create_at)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Boolean, Integer, Table, bindparam, case, literal, literal_column, select

from annotator.annotations.types import AnnotationError
from annotator.engines import upsert_insert
from annotator.models import (
    Article,
    ArticleStatus,
    DbSession,
    Paragraph,
    Project,
    Status,
    User,
    utcnow,
)

log = logging.getLogger(__name__)

# --- article status ---------------------------------------------------------------------


def set_status(session: DbSession, user: User, article: Article, status: Any) -> str:
    """Record where the user stands on the article (not started, in progress, done)."""
    if status not in {s.value for s in Status}:
        raise AnnotationError(
            422, "invalid", "status must be one of not_started, in_progress, done", "status"
        )
    # updated_at is when the status last changed: marking done again keeps the first time,
    # which says whether the work was finished before the article's adjudication.
    table = ArticleStatus.__table__
    moves = table.c.status != status
    values = {"status": status, "updated_at": case((moves, utcnow()), else_=table.c.updated_at)}
    _upsert_status(session, article.id, user.id, values, inserted=status)
    log.info("%s set article %s to %s", user.username, article.id, status)
    return str(status)


def raise_status(session: DbSession, article_id: int, user_id: int, status: str) -> None:
    """Move the status forward to `status` (in progress, done), never back."""
    table = ArticleStatus.__table__
    order = {Status.NOT_STARTED.value: 0, Status.IN_PROGRESS.value: 1, Status.DONE.value: 2}
    lower = [name for name, rank in order.items() if rank < order[status]]
    moves = table.c.status.in_(lower)
    _upsert_status(
        session,
        article_id,
        user_id,
        {
            "status": case((moves, status), else_=table.c.status),
            "updated_at": case((moves, utcnow()), else_=table.c.updated_at),
        },
        inserted=status,
    )


def claim_scope(session: DbSession, article_id: int, owner_id: int, started: bool = False) -> None:
    """Lock the owner's scope in the article until commit; `started` also moves a not-started
    article to in progress. Two writers of one scope run one after the other."""
    if started:
        raise_status(session, article_id, owner_id, Status.IN_PROGRESS.value)
    else:
        table = ArticleStatus.__table__
        _upsert_status(
            session,
            article_id,
            owner_id,
            {"status": table.c.status},
            inserted=Status.NOT_STARTED.value,
        )


def claim_scopes(session: DbSession, wanted: Mapping[tuple[int, int], str]) -> None:
    """claim_scope for many (article, owner) at once, each status raised to the one wanted
    (never lowered): one executemany, in a fixed order so two batches cannot deadlock."""
    if not wanted:
        return
    now = utcnow()
    rows = [
        {
            "article_id": article_id,
            "user_id": user_id,
            "status": status,
            "updated_at": now,
            "revision": 1,
        }
        for (article_id, user_id), status in sorted(wanted.items())
    ]
    session.flush()  # what the ORM's execute would have done: Core's does not
    connection = session.connection()
    connection.execute(_claim_scopes_statement(connection.dialect.name), rows)


@functools.cache
def _claim_scopes_statement(dialect: str) -> Any:
    """claim_scopes' upsert, built once and run by Core: building it and the ORM's bulk path
    took a third of claim_scopes' time in an annotation import."""
    table = cast(Table, ArticleStatus.__table__)
    statement = upsert_insert(dialect)(table)
    new = statement.excluded.status
    moves = _rank(new) > _rank(table.c.status)
    return statement.on_conflict_do_update(
        index_elements=["article_id", "user_id"],
        set_={
            "status": case((moves, new), else_=table.c.status),
            "updated_at": case((moves, statement.excluded.updated_at), else_=table.c.updated_at),
            "revision": table.c.revision + 1,
        },
    )


def _rank(status: Any) -> Any:
    """not started < in progress < done, in SQL. The statuses and ranks are written into
    the statement, not bound: bound, they were 28 parameters for every row of
    claim_scopes' executemany, each processed by SQLAlchemy and bound by the driver."""
    order = {Status.NOT_STARTED.value: 0, Status.IN_PROGRESS.value: 1, Status.DONE.value: 2}
    whens: dict[Any, Any] = {
        literal_column(f"'{name}'"): literal_column(str(rank)) for name, rank in order.items()
    }
    return case(whens, value=status, else_=literal_column("0"))


def claim_paragraph_scope(
    session: DbSession, paragraph_id: int, owner_id: int, read: tuple[int, bool] | None = None
) -> int | None:
    """claim_scope(started=True) in the article of a paragraph named only by id, sharing
    the paragraph's and its project's rows as writes do (writer.shared); the scope's
    revision after this claim. No such paragraph, or `read` given (the project's
    schema_revision and the paragraph's boilerplate flag, as the caller read them) and no
    longer so (a change came in): nothing is written, and None."""
    connection = session.connection()
    values: dict[str, Any] = {"paragraph_id": paragraph_id, "owner_id": owner_id, "now": utcnow()}
    if read is not None:
        values["schema_revision"], values["boilerplate"] = read
    statement = _claim_statement(connection.dialect.name, read is not None)
    revision = connection.execute(statement, values).scalar()
    return None if revision is None else int(revision)


@functools.cache
def _claim_statement(dialect: str, guarded: bool) -> Any:
    """claim_paragraph_scope's upsert, built once: building it was a tenth of a save's CPU.
    `guarded`: only while the project's schema_revision and the paragraph's flag are the
    ones bound. On PostgreSQL both rows are shared (FOR KEY SHARE), so a change of either
    waits for the claim's transaction, and a claim that waited for a change sees it."""
    table = ArticleStatus.__table__
    moves = table.c.status == Status.NOT_STARTED.value
    now = bindparam("now", type_=table.c.updated_at.type)
    source = (
        select(
            Paragraph.article_id,
            bindparam("owner_id", type_=Integer),
            literal(Status.IN_PROGRESS.value),
            now,
            literal(1),
        )
        .join(Article, Article.id == Paragraph.article_id)
        .join(Project, Project.id == Article.project_id)
        .where(Paragraph.id == bindparam("paragraph_id", type_=Integer))
        .with_for_update(read=True, key_share=True, of=[Paragraph, Project])
    )
    if guarded:
        source = source.where(
            Project.schema_revision == bindparam("schema_revision", type_=Integer),
            Paragraph.is_boilerplate == bindparam("boilerplate", type_=Boolean),
        )
    statement = upsert_insert(dialect)(ArticleStatus).from_select(
        ["article_id", "user_id", "status", "updated_at", "revision"], source
    )
    on_conflict = {
        "status": case((moves, Status.IN_PROGRESS.value), else_=table.c.status),
        "updated_at": case((moves, now), else_=table.c.updated_at),
        "revision": table.c.revision + 1,
    }
    return statement.on_conflict_do_update(
        index_elements=["article_id", "user_id"], set_=on_conflict
    ).returning(table.c.revision)


def _insert(session: DbSession) -> Any:
    return upsert_insert(session.get_bind().dialect.name)


def _upsert_status(
    session: DbSession,
    article_id: int,
    user_id: int,
    on_conflict: dict[str, Any],
    inserted: str | None = None,
) -> None:
    insert = _insert(session)
    values = {
        "article_id": article_id,
        "user_id": user_id,
        "status": inserted if inserted is not None else on_conflict["status"],
        "updated_at": utcnow(),
        "revision": 1,
    }
    statement = insert(ArticleStatus).values(values)
    claimed = {**on_conflict, "revision": ArticleStatus.__table__.c.revision + 1}
    session.execute(
        statement.on_conflict_do_update(index_elements=["article_id", "user_id"], set_=claimed)
    )
    existing = session.identity_map.get(session.identity_key(ArticleStatus, (article_id, user_id)))
    if existing is not None:
        session.expire(existing)
