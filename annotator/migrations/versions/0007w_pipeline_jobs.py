"""Pipeline jobs and the per-paragraph model cache

Revision ID: 0007w
Revises: 0007
Create Date: 2026-11-27 11:10:00

A project's spaCy pipeline runs in the background worker: pipeline_job is what the admin
page shows of each run; model_paragraph records which paragraphs a model version has
already run on, so a rerun with the same version computes nothing.
"""

import sqlalchemy as sa
from alembic import op


revision = '0007w'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pipeline_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('pipeline', sa.String(length=500), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('worker', sa.String(length=100), nullable=True),
        sa.Column('model_version', sa.String(length=100), nullable=True),
        sa.Column('paragraphs', sa.Integer(), nullable=False),
        sa.Column('computed', sa.Integer(), nullable=False),
        sa.Column('cached', sa.Integer(), nullable=False),
        sa.Column('suggestions', sa.Integer(), nullable=False),
        sa.Column('dropped', sa.JSON(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f('ck_pipeline_job_status'),
        ),
        sa.ForeignKeyConstraint(
            ['project_id'], ['project.id'],
            name=op.f('fk_pipeline_job_project_id_project'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['requested_by_id'], ['user.id'],
            name=op.f('fk_pipeline_job_requested_by_id_user'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_job')),
    )
    op.create_index(
        op.f('ix_pipeline_job_project_id'), 'pipeline_job', ['project_id'], unique=False
    )
    op.create_table(
        'model_paragraph',
        sa.Column('paragraph_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=255), nullable=False),
        sa.Column('model_version', sa.String(length=100), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['paragraph_id'], ['paragraph.id'],
            name=op.f('fk_model_paragraph_paragraph_id_paragraph'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('paragraph_id', 'source', name=op.f('pk_model_paragraph')),
    )


def downgrade() -> None:
    op.drop_table('model_paragraph')
    op.drop_index(op.f('ix_pipeline_job_project_id'), table_name='pipeline_job')
    op.drop_table('pipeline_job')
