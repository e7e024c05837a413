"""办结审核: where the table asks for it, the lead unit checks a unit's resolution

``closing_check`` is set when a case is dispatched (from its category in the table); cases
already with units keep answering as before.

Revision ID: e7ebe5c7da61
Revises: 6d0252e32aae
Create Date: 2026-12-04 02:42:07.775714
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'e7ebe5c7da61'
down_revision = '6d0252e32aae'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closing_check', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('resolution_proposed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_resolution_proposed_at'), ['resolution_proposed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_resolution_proposed_at'))
        batch_op.drop_column('resolution_proposed_at')
        batch_op.drop_column('closing_check')

