"""open311 api clients

Revision ID: db213ebc6cdd
Revises: 60f770f9f405
Create Date: 2026-11-28 23:31:31.134551
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'db213ebc6cdd'
down_revision = '60f770f9f405'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_clients_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_api_clients_name'))
    )
    with op.batch_alter_table('reporter_identities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_sealed', sa.LargeBinary(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('reporter_identities', schema=None) as batch_op:
        batch_op.drop_column('email_sealed')

    op.drop_table('api_clients')
