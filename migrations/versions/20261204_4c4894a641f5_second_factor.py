"""staff's second factor: a sealed TOTP secret per account, and one-time recovery codes

Nothing to carry over: every account starts without a second factor and enrols at its next
login (the lead unit, the commission and administrators must).

Revision ID: 4c4894a641f5
Revises: 91f14a6332d0
Create Date: 2026-12-04 01:34:11.413480
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '4c4894a641f5'
down_revision = '91f14a6332d0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_sealed', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('totp_confirmed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_confirmed_at')
        batch_op.drop_column('totp_secret_sealed')

    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
