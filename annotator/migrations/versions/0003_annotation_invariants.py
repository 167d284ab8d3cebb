"""annotation invariants: sentiment target column, client ids, source, unique indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 08:00:00

Races before this revision could store two paragraph sentiments (or two sentiments towards
one entity) for one annotator, or a sentiment whose entity was deleted. The newest of each
set is kept, the others are deleted with a history event, so that the unique indexes and
the foreign key can be built.
"""

import json

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SENTIMENT_WHERE = "layer = 'sentiment' AND target_id IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column('source', sa.String(length=100), server_default='manual', nullable=False)
        )
    _backfill()
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_annotation_target_id_annotation'),
            'annotation', ['target_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_check_constraint(
            'target_is_sentiment', "layer = 'sentiment' OR target_id IS NULL"
        )
        batch_op.create_unique_constraint(
            'uq_annotation_client_id', ['annotator_id', 'client_id']
        )
    op.create_index('uq_annotation_target_id', 'annotation', ['target_id'], unique=True)
    op.create_index(
        'uq_annotation_paragraph_sentiment', 'annotation',
        ['paragraph_id', 'annotator_id', 'is_gold'], unique=True,
        sqlite_where=sa.text(SENTIMENT_WHERE), postgresql_where=sa.text(SENTIMENT_WHERE),
    )


def _backfill() -> None:
    """target_id from attributes, source from the create event, duplicates removed."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, paragraph_id, annotator_id, is_gold, attributes, label, version "
        "FROM annotation WHERE layer = 'sentiment' ORDER BY id"
    )).all()
    seen: dict[tuple, int] = {}
    for row in rows:
        attributes = _json(row.attributes)
        target = attributes.get('target_id')
        key = ('target', target) if target else ('paragraph', row.paragraph_id, row.annotator_id, bool(row.is_gold))
        if target and not _is_entity(connection, target):
            _delete(connection, row.id, "its target entity no longer exists")
            continue
        if target:
            connection.execute(
                sa.text("UPDATE annotation SET target_id = :t WHERE id = :id"),
                {"t": target, "id": row.id},
            )
        if key in seen:
            _delete(connection, seen[key], "duplicate removed by migration 0003")
        seen[key] = row.id
    imported = connection.execute(sa.text(
        "SELECT annotation_id, after FROM annotation_event WHERE action = 'create'"
    ))
    for event in imported:
        if _json(event.after).get('source') == 'import':
            connection.execute(
                sa.text("UPDATE annotation SET source = 'import' WHERE id = :id"),
                {"id": event.annotation_id},
            )


def _is_entity(connection: sa.Connection, annotation_id: object) -> bool:
    found = connection.execute(
        sa.text("SELECT 1 FROM annotation WHERE id = :id AND layer = 'entity'"),
        {"id": annotation_id},
    ).first()
    return found is not None


def _delete(connection: sa.Connection, annotation_id: int, reason: str) -> None:
    row = connection.execute(
        sa.text("SELECT * FROM annotation WHERE id = :id"), {"id": annotation_id}
    ).mappings().one()
    before = {k: row[k] for k in ("id", "paragraph_id", "annotator_id", "layer", "label", "version")}
    connection.execute(
        sa.text(
            "INSERT INTO annotation_event (annotation_id, paragraph_id, user_id, action, before, created_at) "
            "VALUES (:a, :p, :u, 'delete', :b, CURRENT_TIMESTAMP)"
        ),
        {"a": row["id"], "p": row["paragraph_id"], "u": row["annotator_id"],
         "b": json.dumps({**before, "reason": reason})},
    )
    connection.execute(sa.text("DELETE FROM annotation WHERE id = :id"), {"id": annotation_id})


def _json(value):  # JSON columns come back parsed on PostgreSQL, as text on SQLite
    if value is None:
        return {}
    return json.loads(value) if isinstance(value, str) else value


def downgrade() -> None:
    op.drop_index('uq_annotation_paragraph_sentiment', table_name='annotation')
    op.drop_index('uq_annotation_target_id', table_name='annotation')
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.drop_constraint('uq_annotation_client_id', type_='unique')
        batch_op.drop_constraint('target_is_sentiment', type_='check')
        batch_op.drop_constraint(
            batch_op.f('fk_annotation_target_id_annotation'), type_='foreignkey'
        )
        batch_op.drop_column('source')
        batch_op.drop_column('client_id')
        batch_op.drop_column('target_id')
