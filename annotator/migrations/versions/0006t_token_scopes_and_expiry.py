"""API token scopes and expiry

Revision ID: 0006t
Revises: 0006s
Create Date: 2026-11-27 09:00:00

A token used to act with its owner's whole account. Tokens made before this revision keep
what scripts used them for (read, annotate, export) but not the admin pages: an admin who
wants a token for those makes a new one with the admin scope.
"""

import sqlalchemy as sa
from alembic import op


revision = '0006t'
down_revision = '0006s'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('scopes', sa.String(length=100), server_default='read', nullable=False)
        )
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE api_token SET scopes = 'read annotate export'")


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
