"""project counts the edits of its label schema, so writes see an edit that came between

Revision ID: 0011
Revises: 0010c
Create Date: 2026-11-28 08:10:00

A write checks its labels against the project's schema, and a save reads that schema before
it claims its scope (annotations.writer.create_at). An edit of the schema (admin.labels:
rename, merge, remove, add) adds one to `schema_revision`; the save's claim only goes ahead
while the revision is the one it read, and otherwise reads and checks again under its locks.
Projects already there start at 0.
"""

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        'project',
        sa.Column('schema_revision', sa.Integer(), server_default='0', nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('schema_revision')
