"""Per-project boilerplate rules, what they changed, and proposals from the workspace

Revision ID: 0008a
Revises: 0007
Create Date: 2026-11-27 11:30:00

Three new tables; no existing row changes.
"""

import sqlalchemy as sa
from alembic import op


revision = '0008a'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'boilerplate_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('pattern', sa.Text(), nullable=False),
        sa.Column('makes_boilerplate', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('applied_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('exact', 'prefix', 'regex')", name=op.f('ck_boilerplate_rule_kind')
        ),
        sa.ForeignKeyConstraint(
            ['applied_by_id'], ['user.id'], name=op.f('fk_boilerplate_rule_applied_by_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user.id'], name=op.f('fk_boilerplate_rule_created_by_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['project_id'],
            ['project.id'],
            name=op.f('fk_boilerplate_rule_project_id_project'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_boilerplate_rule')),
    )
    op.create_index(
        op.f('ix_boilerplate_rule_project_id'), 'boilerplate_rule', ['project_id'], unique=False
    )
    op.create_table(
        'boilerplate_change',
        sa.Column('rule_id', sa.Integer(), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), nullable=False),
        sa.Column('was_boilerplate', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['paragraph_id'],
            ['paragraph.id'],
            name=op.f('fk_boilerplate_change_paragraph_id_paragraph'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['rule_id'],
            ['boilerplate_rule.id'],
            name=op.f('fk_boilerplate_change_rule_id_boilerplate_rule'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('rule_id', 'paragraph_id', name=op.f('pk_boilerplate_change')),
    )
    op.create_index(
        op.f('ix_boilerplate_change_paragraph_id'),
        'boilerplate_change',
        ['paragraph_id'],
        unique=False,
    )
    op.create_table(
        'boilerplate_proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('makes_boilerplate', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'declined')",
            name=op.f('ck_boilerplate_proposal_status'),
        ),
        sa.ForeignKeyConstraint(
            ['decided_by_id'], ['user.id'], name=op.f('fk_boilerplate_proposal_decided_by_id_user')
        ),
        sa.ForeignKeyConstraint(
            ['paragraph_id'],
            ['paragraph.id'],
            name=op.f('fk_boilerplate_proposal_paragraph_id_paragraph'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['proposed_by_id'],
            ['user.id'],
            name=op.f('fk_boilerplate_proposal_proposed_by_id_user'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_boilerplate_proposal')),
    )
    op.create_index(
        op.f('ix_boilerplate_proposal_paragraph_id'),
        'boilerplate_proposal',
        ['paragraph_id'],
        unique=False,
    )
    op.create_index(
        'uq_boilerplate_proposal_pending',
        'boilerplate_proposal',
        ['paragraph_id'],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index('uq_boilerplate_proposal_pending', table_name='boilerplate_proposal')
    op.drop_index(op.f('ix_boilerplate_proposal_paragraph_id'), table_name='boilerplate_proposal')
    op.drop_table('boilerplate_proposal')
    op.drop_index(op.f('ix_boilerplate_change_paragraph_id'), table_name='boilerplate_change')
    op.drop_table('boilerplate_change')
    op.drop_index(op.f('ix_boilerplate_rule_project_id'), table_name='boilerplate_rule')
    op.drop_table('boilerplate_rule')
