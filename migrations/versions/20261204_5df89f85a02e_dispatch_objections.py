"""objections to a dispatch (派单异议) waiting for the lead unit

A unit no longer returns a case by itself: it objects, and the lead unit agrees (the return) or
refuses. Nothing to carry over: returns made before this were final.

Revision ID: 5df89f85a02e
Revises: dd1f672100b2
Create Date: 2026-12-04 02:05:01.260916
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '5df89f85a02e'
down_revision = 'dd1f672100b2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objection_pending_since', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_objection_pending_since'), ['objection_pending_since'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_objection_pending_since'))
        batch_op.drop_column('objection_pending_since')

