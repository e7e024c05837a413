"""supervision by hand (督办): the lead unit's own due date on a case

Nothing to carry over: the hourly job's escalations keep their meaning.

Revision ID: 6d0252e32aae
Revises: 8ea4d77f45c0
Create Date: 2026-12-04 02:29:15.861881
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '6d0252e32aae'
down_revision = '8ea4d77f45c0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supervision_due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('supervision_due_at')

