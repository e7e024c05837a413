"""hotline call logs

Revision ID: c13367c4b381
Revises: 9eaeb7f96cd5
Create Date: 2026-11-28 21:27:39.761756
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'c13367c4b381'
down_revision = '9eaeb7f96cd5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('call_logs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_sid', sa.String(length=64), nullable=True),
    sa.Column('caller_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('caller_hash', sa.String(length=64), nullable=True),
    sa.Column('recording_url', sa.String(length=500), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('called_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_call_logs_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_call_logs_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_logs')),
    sa.UniqueConstraint('recording_sid', name=op.f('uq_call_logs_recording_sid'))
    )
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_logs_caller_hash'), ['caller_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_logs_state'), ['state'], unique=False)



    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
    with op.batch_alter_table('call_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_logs_state'))
        batch_op.drop_index(batch_op.f('ix_call_logs_caller_hash'))

    op.drop_table('call_logs')
