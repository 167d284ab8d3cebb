"""article review status and reviewers' comments on annotations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:20:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'article_review',
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_reviewed', 'in_review', 'adjudicated')",
            name=op.f('ck_article_review_status'),
        ),
        sa.ForeignKeyConstraint(
            ['article_id'], ['article.id'],
            name=op.f('fk_article_review_article_id_article'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['reviewer_id'], ['user.id'], name=op.f('fk_article_review_reviewer_id_user'),
        ),
        sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_review')),
    )
    op.create_table(
        'annotation_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('annotation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['annotation_id'], ['annotation.id'],
            name=op.f('fk_annotation_comment_annotation_id_annotation'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['author_id'], ['user.id'], name=op.f('fk_annotation_comment_author_id_user'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation_comment')),
    )
    op.create_index(
        op.f('ix_annotation_comment_annotation_id'), 'annotation_comment', ['annotation_id']
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_annotation_comment_annotation_id'), table_name='annotation_comment')
    op.drop_table('annotation_comment')
    op.drop_table('article_review')
