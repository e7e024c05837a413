"""the same problem reported twice: a complaint merged into the one that handles it

Nothing to carry over.

Revision ID: 2f2470fcdf8c
Revises: e7ebe5c7da61
Create Date: 2026-12-04 02:58:47.422943
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '2f2470fcdf8c'
down_revision = 'e7ebe5c7da61'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_merged_into_id_complaints'), 'complaints', ['merged_into_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_merged_into_id_complaints'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_complaints_merged_into_id'))
        batch_op.drop_column('merged_into_id')

