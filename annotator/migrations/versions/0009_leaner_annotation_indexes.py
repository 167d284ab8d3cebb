"""annotation keeps only the indexes a look-up needs: every insert writes fewer of them

Revision ID: 0009
Revises: 0008a
Create Date: 2026-11-27 17:00:00

ix_annotation_annotator_id repeated the first column of uq_annotation_client_id
(annotator_id, client_id), which serves the same look-ups, the foreign-key check on deleting
a user included. uq_annotation_target_id indexed a NULL for almost every row; a partial index
over the rows that have a target gives the same guarantee (NULLs are never equal) and still
serves `target_id = ?`, the ON DELETE CASCADE from an entity to its sentiment included.
No row changes.
"""

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008a'
branch_labels = None
depends_on = None

HAS_TARGET = "target_id IS NOT NULL"


def upgrade() -> None:
    op.drop_index('ix_annotation_annotator_id', table_name='annotation')
    op.drop_index('uq_annotation_target_id', table_name='annotation')
    op.create_index(
        'uq_annotation_target_id', 'annotation', ['target_id'], unique=True,
        sqlite_where=sa.text(HAS_TARGET), postgresql_where=sa.text(HAS_TARGET),
    )


def downgrade() -> None:
    op.drop_index('uq_annotation_target_id', table_name='annotation')
    op.create_index('uq_annotation_target_id', 'annotation', ['target_id'], unique=True)
    op.create_index('ix_annotation_annotator_id', 'annotation', ['annotator_id'], unique=False)
