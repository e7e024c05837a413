"""staff sessions on the server

A staff login is a row here; the staff cookie holds only its token. Nothing to carry over:
sessions before this migration lived in cookies, and everyone logs in again.

Revision ID: 91f14a6332d0
Revises: eca012e891dd
Create Date: 2026-12-02 16:34:53.265312
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '91f14a6332d0'
down_revision = 'eca012e891dd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_because', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_staff_sessions_token_hash'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))

    op.drop_table('staff_sessions')
