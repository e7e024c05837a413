"""a complaint linked to the roster household it is about (confirmed by the lead unit)

Nothing to carry over.

Revision ID: b2f6c2ae78cd
Revises: 9f36e880d73c
Create Date: 2026-12-04 03:15:00.617015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b2f6c2ae78cd'
down_revision = '9f36e880d73c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_household_id'), ['household_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_household_id_households'), 'households', ['household_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_complaints_household_id_households'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_complaints_household_id'))
        batch_op.drop_column('household_id')

