"""several audit chains instead of one, so that filings never wait on one head row

Each event records its chain (all events so far are chain 0, which goes on as it was); the
heads of the other chains start empty; on PostgreSQL one sequence hands out the events'
places, starting after the last one. Downgrading keeps the events but a chain of one cannot
walk events of several: run it only on a database that has used one chain.

Revision ID: 2314711ad310
Revises: c19d54f8a0f2
Create Date: 2026-12-04 19:57:39.580220
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '2314711ad310'
down_revision = 'c19d54f8a0f2'
branch_labels = None
depends_on = None

CHAINS = 16  # as in complaints.cases.audit, written here as it was then
GENESIS = "0" * 64
SEQUENCE = "case_event_seq"


def upgrade() -> None:
    # Added in place (not by batch mode, which would copy the table and lose SQLite's
    # append-only triggers).
    op.add_column('case_events', sa.Column('chain', sa.Integer(), server_default='0', nullable=False))
    op.create_index('ix_case_events_chain_seq', 'case_events', ['chain', 'seq'], unique=False)
    heads = sa.table("audit_head", sa.column("id", sa.Integer), sa.column("seq", sa.Integer),
                     sa.column("hash", sa.String), sa.column("keyed_from_seq", sa.Integer),
                     sa.column("mac", sa.String))
    bind = op.get_bind()
    present = set(bind.execute(sa.select(heads.c.id)).scalars())
    op.bulk_insert(heads, [{"id": chain + 1, "seq": 0, "hash": GENESIS, "keyed_from_seq": 1, "mac": None}
                           for chain in range(CHAINS) if chain + 1 not in present])
    if bind.dialect.name == "postgresql":
        last = bind.execute(sa.text("SELECT coalesce(max(seq), 0) FROM case_events")).scalar() or 0
        # Owned by the column: emptying the table (TRUNCATE ... RESTART IDENTITY) restarts it.
        op.execute(f"CREATE SEQUENCE {SEQUENCE} START WITH {int(last) + 1} OWNED BY case_events.seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    op.execute("DELETE FROM audit_head WHERE id > 1")
    op.drop_index('ix_case_events_chain_seq', table_name='case_events')
    op.drop_column('case_events', 'chain')
