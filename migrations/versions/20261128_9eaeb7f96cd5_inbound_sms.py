"""inbound sms

Revision ID: 9eaeb7f96cd5
Revises: 475f83b0bd8b
Create Date: 2026-11-28 21:25:15.539130
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '9eaeb7f96cd5'
down_revision = '475f83b0bd8b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_sid', sa.String(length=64), nullable=False),
    sa.Column('from_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('from_hash', sa.String(length=64), nullable=False),
    sa.Column('to_number', sa.String(length=32), nullable=False),
    sa.Column('body', sa.String(length=1600), nullable=False),
    sa.Column('media_urls', sa.JSON(), nullable=True),
    sa.Column('received_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('reply', sa.String(length=1600), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_inbound_sms_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_sms')),
    sa.UniqueConstraint('message_sid', name=op.f('uq_inbound_sms_message_sid'))
    )
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_sms_from_hash'), ['from_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_sms_from_hash'))

    op.drop_table('inbound_sms')
