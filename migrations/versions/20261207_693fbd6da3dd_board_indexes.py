"""The board reads indexes, not every case: each waiting list a small partial index in deadline
order, the intake list by status and deadline, the working days per unit from an index alone;
a unit's list is ordered from an index.

Revision ID: 693fbd6da3dd
Revises: 2314711ad310
Create Date: 2026-12-07 01:30:07.923189
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '693fbd6da3dd'
down_revision = '2314711ad310'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_objection_pending_since'))
        batch_op.drop_index(batch_op.f('ix_complaints_resolution_proposed_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_responsible_unit_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_review_pending_since'))
        batch_op.create_index('ix_complaints_responsible_unit_id_working_days', ['responsible_unit_id', 'working_days_to_resolve'], unique=False)
        batch_op.create_index('ix_complaints_responsible_unit_id_order', ['responsible_unit_id', 'supervision_due_at', 'deadline_at'], unique=False)
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.create_index('ix_complaints_status_deadline_at', ['status', 'deadline_at'], unique=False)
        batch_op.create_index('ix_complaints_waiting_objection_pending_since', ['deadline_at', 'id'], unique=False, sqlite_where=sa.text('objection_pending_since IS NOT NULL'), postgresql_where=sa.text('objection_pending_since IS NOT NULL'))
        batch_op.create_index('ix_complaints_waiting_pending_extension_days', ['deadline_at', 'id'], unique=False, sqlite_where=sa.text('pending_extension_days IS NOT NULL'), postgresql_where=sa.text('pending_extension_days IS NOT NULL'))
        batch_op.create_index('ix_complaints_waiting_resolution_proposed_at', ['deadline_at', 'id'], unique=False, sqlite_where=sa.text('resolution_proposed_at IS NOT NULL'), postgresql_where=sa.text('resolution_proposed_at IS NOT NULL'))
        batch_op.create_index('ix_complaints_waiting_review_pending_since', ['deadline_at', 'id'], unique=False, sqlite_where=sa.text('review_pending_since IS NOT NULL'), postgresql_where=sa.text('review_pending_since IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_waiting_review_pending_since', sqlite_where=sa.text('review_pending_since IS NOT NULL'), postgresql_where=sa.text('review_pending_since IS NOT NULL'))
        batch_op.drop_index('ix_complaints_waiting_resolution_proposed_at', sqlite_where=sa.text('resolution_proposed_at IS NOT NULL'), postgresql_where=sa.text('resolution_proposed_at IS NOT NULL'))
        batch_op.drop_index('ix_complaints_waiting_pending_extension_days', sqlite_where=sa.text('pending_extension_days IS NOT NULL'), postgresql_where=sa.text('pending_extension_days IS NOT NULL'))
        batch_op.drop_index('ix_complaints_waiting_objection_pending_since', sqlite_where=sa.text('objection_pending_since IS NOT NULL'), postgresql_where=sa.text('objection_pending_since IS NOT NULL'))
        batch_op.drop_index('ix_complaints_status_deadline_at')
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)
        batch_op.drop_index('ix_complaints_responsible_unit_id_order')
        batch_op.drop_index('ix_complaints_responsible_unit_id_working_days')
        batch_op.create_index(batch_op.f('ix_complaints_review_pending_since'), ['review_pending_since'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_responsible_unit_id'), ['responsible_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_resolution_proposed_at'), ['resolution_proposed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_objection_pending_since'), ['objection_pending_since'], unique=False)
