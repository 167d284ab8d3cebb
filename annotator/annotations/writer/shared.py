"""What a write checks against but does not own, read under locks that changes of it wait for:
its project's label schema, and its paragraph's boilerplate flag.

A write claims its scope, then checks its labels against the project's schema and its
sentiment against the paragraph's flag (boilerplate gets none). Both change by hand: an
admin's edit of the schema renames and merges labels in the schema and in every annotation
using them; a paragraph becomes boilerplate by hand, by a rule or as the corpus learns, and
only while nobody has annotated it. Had a write checked against what it read before such a
change committed, it could store a label just renamed away, after the rename had relabelled
everything else, or a sentiment on a paragraph just made boilerplate, or work on a paragraph
the change had just found unannotated.

So both sides take the rows' locks in an order:

- A write reads the schema and the flag after its claim, sharing the rows: PostgreSQL's
  FOR KEY SHARE, which writes share with each other and which FOR UPDATE waits for; on
  SQLite the claim already holds the database's write lock. A save that read them before
  its claim (writer.create_at) claims only while the project's schema_revision and the
  paragraph's flag are the ones it read (status.claim_paragraph_scope).
- A change takes the rows FOR UPDATE (on SQLite, the write lock) before it reads what it
  changes (lock_schema_for_edit, lock_paragraphs_for_flag): it waits for the writes in
  flight, and sees their work; the writes after it read what it stored; and two changes at
  once go one after the other, the second reading what the first stored.

Changes take their paragraphs in id order. A write that takes several paragraphs' flags in
one transaction cannot: an import's batches come in the file's order. On PostgreSQL, such
a write and a change of several flags could each hold a paragraph the other waits for, a
deadlock PostgreSQL breaks by failing one of them (a whole import, say). So both first take
the project's flags lock, an advisory lock: the writes that read flags a batch at a time
share it (locked_flags: imports, batches, a reviewer's accept-all), changes of several
flags take it alone; a change then waits for the imports in flight, or they for it, and
neither fails. A save or a change of one paragraph holds a single paragraph, so it cannot
close such a cycle: they do without (a save stays five statements).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, update

from annotator.annotations.rules import Place
from annotator.models import Article, DbSession, Paragraph, Project

#: session.info key: (the transaction, what was read under the locks in it).
_READ = "annotator.locked_reads"
#: Paragraph ids per statement, under every database's parameter limit.
CHUNK = 500
#: The first key of the projects' flags locks (PostgreSQL advisory locks keyed by two
#: integers: this, and the project's id). Any constant no other user of advisory locks on
#: the database takes; it reads "flag" in ASCII.
FLAGS_LOCK = 0x666C6167

_LOCKED_SCHEMA = (
    select(Project.label_schema)
    .where(Project.id == bindparam("project_id", type_=Integer))
    .with_for_update(read=True, key_share=True)
)
_LOCKED_PARAGRAPH = (
    select(Project.id, Project.label_schema, Paragraph.is_boilerplate)
    .join(Article, Article.id == Paragraph.article_id)
    .join(Project, Project.id == Article.project_id)
    .where(Paragraph.id == bindparam("paragraph_id", type_=Integer))
    .with_for_update(read=True, key_share=True, of=[Paragraph, Project])
)
_LOCKED_FLAGS = (
    select(Paragraph.id, Paragraph.is_boilerplate)
    .where(Paragraph.id.in_(bindparam("ids", expanding=True)))
    .with_for_update(read=True, key_share=True)
)


_SHARE_FLAGS_LOCK = select(
    func.pg_advisory_xact_lock_shared(FLAGS_LOCK, bindparam("project_id", type_=Integer))
)
_TAKE_FLAGS_LOCK = select(
    func.pg_advisory_xact_lock(FLAGS_LOCK, bindparam("project_id", type_=Integer))
)


class _Read:
    """What one transaction read under the locks: nothing can change it until it ends."""

    def __init__(self, transaction: Any) -> None:
        self.transaction = transaction
        self.schemas: dict[int, dict[str, Any]] = {}
        self.flags: dict[int, bool] = {}
        self.flags_locks: set[int] = set()  # projects whose flags lock is shared


def _read(session: DbSession) -> tuple[Any, _Read]:
    connection = session.connection()
    transaction = connection.get_transaction()
    read = session.info.get(_READ)
    if read is None or read.transaction is not transaction:
        read = session.info[_READ] = _Read(transaction)
    return connection, read


def locked_schema(session: DbSession, project_id: int) -> dict[str, Any]:
    """The project's label schema, read under the lock every write shares."""
    connection, read = _read(session)
    if project_id not in read.schemas:
        parameters = {"project_id": project_id}
        read.schemas[project_id] = connection.execute(_LOCKED_SCHEMA, parameters).scalar_one()
    return read.schemas[project_id]


def locked_place(session: DbSession, paragraph: Paragraph) -> tuple[dict[str, Any], Place]:
    """A paragraph's project schema and its place (text and boilerplate flag), read under
    the locks every write shares: one statement, once per paragraph and transaction."""
    connection, read = _read(session)
    project_id = paragraph.article.project_id
    if paragraph.id not in read.flags or project_id not in read.schemas:
        row = connection.execute(_LOCKED_PARAGRAPH, {"paragraph_id": paragraph.id}).one()
        read.schemas[row[0]] = row[1]
        read.flags[paragraph.id] = bool(row[2])
    schema = read.schemas[project_id]
    return schema, Place(paragraph.id, paragraph.text, read.flags[paragraph.id])


def locked_flags(
    session: DbSession, project_id: int, paragraph_ids: Iterable[int]
) -> dict[int, bool]:
    """The boilerplate flags of these paragraphs of the project, read under the lock every
    write shares, once the transaction shares the project's flags lock (PostgreSQL: see
    the module's docstring)."""
    connection, read = _read(session)
    if project_id not in read.flags_locks and connection.dialect.name == "postgresql":
        connection.execute(_SHARE_FLAGS_LOCK, {"project_id": project_id})
        read.flags_locks.add(project_id)
    wanted = sorted(set(paragraph_ids) - read.flags.keys())
    for at in range(0, len(wanted), CHUNK):
        rows = connection.execute(_LOCKED_FLAGS, {"ids": wanted[at : at + CHUNK]}).all()
        read.flags.update((pid, bool(flag)) for pid, flag in rows)
    return read.flags


# --- the changes' side ------------------------------------------------------------------


def lock_schema_for_edit(session: DbSession, project: Project) -> None:
    """Take the project's row for an edit of its schema, wait for the writes that share it,
    and read the project again: the schema to change is the one stored last. Call before
    changing anything of the project; store the new schema with store_schema."""
    if _on_sqlite(session):
        touch = update(Project).where(Project.id == project.id).values(name=Project.name)
        _hold_write_lock(session, touch)
    query = (
        select(Project)
        .where(Project.id == project.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.execute(query).scalar_one()


def store_schema(project: Project, schema: dict[str, Any]) -> None:
    """Give a project locked by lock_schema_for_edit its new (validated) schema, counting the
    edit: a save that read the schema before it claims its scope sees that it changed."""
    project.label_schema = schema
    project.schema_revision += 1


def lock_paragraphs_for_flag(
    session: DbSession, project_id: int, paragraph_ids: Sequence[int]
) -> None:
    """Take these paragraphs (of the project) before their boilerplate flag is judged (is
    anything annotated there?) and changed: the writes in flight there commit first, and
    their work is seen; the writes after wait, then read the new flag. Several paragraphs
    are taken under the project's flags lock, alone (PostgreSQL: see the module's
    docstring). The session's objects of these paragraphs read their flag again."""
    ids = sorted(set(paragraph_ids))
    if not ids:
        return
    if _on_sqlite(session):
        flag = Paragraph.is_boilerplate
        _hold_write_lock(
            session, update(Paragraph).where(Paragraph.id == ids[0]).values(is_boilerplate=flag)
        )
    else:
        if len(ids) > 1:
            session.execute(_TAKE_FLAGS_LOCK, {"project_id": project_id})
        for at in range(0, len(ids), CHUNK):
            query = (
                select(Paragraph.id)
                .where(Paragraph.id.in_(ids[at : at + CHUNK]))
                .order_by(Paragraph.id)  # in one order: two changes cannot deadlock
                .with_for_update()
            )
            session.execute(query).all()
    for paragraph_id in ids:
        held = session.identity_map.get(session.identity_key(Paragraph, paragraph_id))
        if held is not None:
            session.expire(held, ["is_boilerplate"])


def _on_sqlite(session: DbSession) -> bool:
    """SQLite has no FOR UPDATE (SQLAlchemy leaves it out): its changes take the write lock."""
    return session.get_bind().dialect.name == "sqlite"


def _hold_write_lock(session: DbSession, touch: Any) -> None:
    """Take SQLite's write lock with `touch`, a write that changes nothing, unless the
    transaction holds it already (Python's sqlite3 opens a transaction at its first write,
    which takes the lock)."""
    if session.connection().connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        return
    session.execute(touch, execution_options={"synchronize_session": False})
