"""annotation.layer and annotation_event.action checked with comparisons, not IN lists

Revision ID: 0010c
Revises: 0010
Create Date: 2026-11-28 02:40:00

SQLite checks `x IN ('a', 'b', 'c')` in a CHECK constraint by building a temporary index
of the list for every row it inserts (a constraint gets no once-per-statement), which cost
an annotation import a tenth of its instructions, two such checks per annotation. The
same condition written as comparisons joined by OR costs a few instructions. No row
changes; both databases get the same text.
"""

from alembic import op


revision = '0010c'
down_revision = '0010'
branch_labels = None
depends_on = None

CHECKS = (
    ('annotation', 'layer', ('entity', 'claim', 'sentiment')),
    ('annotation_event', 'action', ('create', 'update', 'delete')),
)


def upgrade() -> None:
    for table, column, values in CHECKS:
        _replace(table, column, " OR ".join(f"{column} = '{value}'" for value in values))


def downgrade() -> None:
    for table, column, values in CHECKS:
        _replace(table, column, f"{column} IN ({', '.join(repr(v) for v in values)})")


def _replace(table: str, column: str, condition: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(f'ck_{table}_{column}'), type_='check')
        batch_op.create_check_constraint(column, condition)
