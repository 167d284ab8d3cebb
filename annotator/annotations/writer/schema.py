"""The label schema a write checks against, read under a lock that edits of the schema wait for.

A write claims its scope, then checks its labels against its project's schema. An edit of
the schema (admin.labels) changes the schema and relabels the annotations using a renamed or
merged label, in one transaction. Had a write checked against the schema as it was before
such an edit committed, it could store a label the edit had just renamed away, after the
edit had relabelled everything else: a label outside the schema, for good.

So the two sides take one row's locks in an order:

- A write reads the schema after its claim (locked_schema), sharing the project's row:
  PostgreSQL's FOR KEY SHARE, which writes share with each other and which an edit's
  FOR UPDATE waits for; on SQLite the claim already holds the database's write lock.
  A save that read the schema before its claim (writer.create_at) claims only while the
  project's schema_revision is the one it read (status.claim_paragraph_scope).
- An edit takes the project's row FOR UPDATE (on SQLite, the write lock) before it reads
  the schema it changes (lock_schema_for_edit), and counts itself in schema_revision. It
  waits for the writes in flight; the writes after it read the schema it stored; and two
  edits at once go one after the other, the second reading what the first stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, bindparam, select, update

from annotator.models import DbSession, Project

#: session.info key: (the transaction, {project id: schema read under the lock in it}).
_READ = "annotator.locked_schemas"

_LOCKED_SCHEMA = (
    select(Project.label_schema)
    .where(Project.id == bindparam("project_id", type_=Integer))
    .with_for_update(read=True, key_share=True)
)


def locked_schema(session: DbSession, project_id: int) -> dict[str, Any]:
    """The project's label schema, read under the lock every write shares: once per
    transaction, as nothing can change it until the transaction ends."""
    connection = session.connection()
    transaction = connection.get_transaction()
    read = session.info.get(_READ)
    if read is None or read[0] is not transaction:
        read = session.info[_READ] = (transaction, {})
    schemas: dict[int, dict[str, Any]] = read[1]
    if project_id not in schemas:
        parameters = {"project_id": project_id}
        schemas[project_id] = connection.execute(_LOCKED_SCHEMA, parameters).scalar_one()
    return schemas[project_id]


def lock_schema_for_edit(session: DbSession, project: Project) -> None:
    """Take the project's row for an edit of its schema, wait for the writes that share it,
    and read the project again: the schema to change is the one stored last. Call before
    changing anything of the project; store the new schema with store_schema."""
    if session.get_bind().dialect.name == "sqlite":  # FOR UPDATE is PostgreSQL's
        touch = update(Project).where(Project.id == project.id).values(name=Project.name)
        session.execute(touch, execution_options={"synchronize_session": False})
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
