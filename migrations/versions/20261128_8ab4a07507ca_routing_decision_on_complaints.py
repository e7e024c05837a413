"""routing decision on complaints

Revision ID: 8ab4a07507ca
Revises: fdd022bc3437
Create Date: 2026-11-28 20:33:24.835969
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '8ab4a07507ca'
down_revision = 'fdd022bc3437'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('routing', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('needs_triage', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f('ix_complaints_needs_triage'), ['needs_triage'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_needs_triage'))
        batch_op.drop_column('needs_triage')
        batch_op.drop_column('routing')

