"""article_status counts the claims of its scope, so a save can check before it locks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 03:00:00

Every write of an annotator's annotations in an article first claims their scope by upserting
this row (annotations.writer). The claim now also adds one to `revision`. A save reads the
scope and checks its rules before it claims; when its claim's revision is the one it read
plus one, no other writer came in between and the checks stand; otherwise it reads and
checks again under the lock. Rows already there start at 0, as a scope never claimed reads.
"""

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        'article_status',
        sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table('article_status', schema=None) as batch_op:
        batch_op.drop_column('revision')
