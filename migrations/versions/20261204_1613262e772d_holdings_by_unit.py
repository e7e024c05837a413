"""an index of who held each case, by unit: a unit's read-only view of the cases it handed on

Revision ID: 1613262e772d
Revises: b2f6c2ae78cd
Create Date: 2026-12-04 03:22:21.975609
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '1613262e772d'
down_revision = 'b2f6c2ae78cd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_holdings', schema=None) as batch_op:
        batch_op.create_index('ix_case_holdings_unit_complaint_id', ['unit', 'complaint_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_holdings', schema=None) as batch_op:
        batch_op.drop_index('ix_case_holdings_unit_complaint_id')

