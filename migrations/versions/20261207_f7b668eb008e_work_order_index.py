"""The case lists' order in one index (supervised first, soonest deadline, the undated last,
newest first among equals), so a page is read from it rather than sorting every visible case;
the per-unit order index it replaces could not serve a list that also holds co-unit cases. The
unit's working-days index also holds the id, so a liaison's list is counted from it alone.
Alembic does not compare expression indexes: this one was written by hand.

Revision ID: f7b668eb008e
Revises: 757f0a436088
Create Date: 2026-12-07 15:02:12.383524
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'f7b668eb008e'
down_revision = '757f0a436088'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_responsible_unit_id_order'))
        batch_op.drop_index('ix_complaints_responsible_unit_id_working_days')
        batch_op.create_index('ix_complaints_responsible_unit_id_cover', ['responsible_unit_id', 'working_days_to_resolve', 'id'], unique=False)
    op.create_index('ix_complaints_work_order', 'complaints', [
        sa.text('(supervision_due_at IS NULL)'), sa.text('(deadline_at IS NULL)'),
        sa.text('deadline_at'), sa.text('id DESC')])


def downgrade() -> None:
    op.drop_index('ix_complaints_work_order', table_name='complaints')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_responsible_unit_id_cover')
        batch_op.create_index('ix_complaints_responsible_unit_id_working_days', ['responsible_unit_id', 'working_days_to_resolve'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_responsible_unit_id_order'), ['responsible_unit_id', 'supervision_due_at', 'deadline_at'], unique=False)
