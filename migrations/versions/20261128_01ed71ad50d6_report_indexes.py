"""report indexes

Revision ID: 01ed71ad50d6
Revises: c13367c4b381
Create Date: 2026-11-28 21:55:54.594902
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '01ed71ad50d6'
down_revision = 'c13367c4b381'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_action_occurred_at', ['action', 'occurred_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_action_occurred_at')

