"""The board's per-unit figures kept current by the writes (case_tallies), filled here from the
cases already written; from now on every flush that writes cases adds its difference.

Revision ID: 757f0a436088
Revises: 693fbd6da3dd
Create Date: 2026-12-07 01:32:18.247597
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '757f0a436088'
down_revision = '693fbd6da3dd'
branch_labels = None
depends_on = None

# As the code counts them on this date (cases.tallies), carried here rather than imported.
ACTED_ON = ("in_progress", "resolved", "closed", "returned", "transferred")
NOT_OPEN = ("rejected", "closed")
UNIT_FIGURES = {
    "received": "TRUE",
    "acted_on": f"status IN {ACTED_ON}",
    "resolved": "resolved_at IS NOT NULL",
    "on_time": "resolved_at <= resolve_due_at",
    "answered": "reporter_says_fixed IS NOT NULL",
    "satisfied": "reporter_says_fixed IS TRUE",
}


def upgrade() -> None:
    op.create_table('case_tallies',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('figure', sa.String(length=20), nullable=False),
    sa.Column('shard', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_case_tallies_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'figure', 'shard', name=op.f('pk_case_tallies'))
    )
    for figure, condition in UNIT_FIGURES.items():
        op.execute(
            "INSERT INTO case_tallies (unit_id, figure, shard, count) "
            f"SELECT responsible_unit_id, '{figure}', 0, count(*) FROM complaints "
            f"WHERE responsible_unit_id IS NOT NULL AND {condition} GROUP BY responsible_unit_id")
    op.execute(
        "INSERT INTO case_tallies (unit_id, figure, shard, count) "
        "SELECT township_id, 'open_here', 0, count(*) FROM complaints "
        f"WHERE township_id IS NOT NULL AND status NOT IN {NOT_OPEN} GROUP BY township_id")


def downgrade() -> None:
    op.drop_table('case_tallies')
