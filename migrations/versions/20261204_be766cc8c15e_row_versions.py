"""row versions on cases and clues: two requests acting on one case cannot both write it

Optimistic locking (``version_id_col``): the second finds the row moved on and keeps nothing,
so a case's seal is always made from the very row it is written with.

Revision ID: be766cc8c15e
Revises: 5df89f85a02e
Create Date: 2026-12-04 02:12:05.116167
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'be766cc8c15e'
down_revision = '5df89f85a02e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.drop_column('version')

