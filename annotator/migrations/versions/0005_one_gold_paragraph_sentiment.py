"""one gold paragraph sentiment per paragraph, whichever reviewer wrote it

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00

Gold is one version per article; the writer's lock on the article's review row keeps two
reviewers from both storing a paragraph sentiment, and this index makes the database hold it.
"""

import json

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

WHERE = "layer = 'sentiment' AND target_id IS NULL AND is_gold"


def upgrade() -> None:
    _keep_newest_gold_sentiment()
    op.create_index(
        'uq_annotation_gold_paragraph_sentiment', 'annotation', ['paragraph_id'], unique=True,
        sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE),
    )


def _keep_newest_gold_sentiment() -> None:
    """Gold imported for two people could hold two sentiments of one paragraph: the newest
    stays, the others are deleted with a history event."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, paragraph_id, annotator_id, label FROM annotation"
        f" WHERE {WHERE} ORDER BY paragraph_id, id DESC"
    )).all()
    kept: set[int] = set()
    for row in rows:
        if row.paragraph_id not in kept:
            kept.add(row.paragraph_id)
            continue
        before = {"id": row.id, "label": row.label, "reason": "second gold sentiment (0005)"}
        connection.execute(
            sa.text(
                "INSERT INTO annotation_event (annotation_id, paragraph_id, user_id, action,"
                " before, created_at) VALUES (:a, :p, :u, 'delete', :b, CURRENT_TIMESTAMP)"
            ),
            {"a": row.id, "p": row.paragraph_id, "u": row.annotator_id, "b": json.dumps(before)},
        )
        connection.execute(sa.text("DELETE FROM annotation WHERE id = :id"), {"id": row.id})


def downgrade() -> None:
    op.drop_index('uq_annotation_gold_paragraph_sentiment', table_name='annotation')
