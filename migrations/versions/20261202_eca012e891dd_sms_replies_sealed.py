"""sms replies sealed

The reply stored with an inbound SMS (answered again when Twilio retries) held the receipt's
query code in plain text. It is now sealed with the encryption key, which a migration does not
hold: the plain replies are dropped, and a retry of an old message is answered "received again".
Going back creates the plain column empty.

Revision ID: eca012e891dd
Revises: 2bc8d2612cc6
Create Date: 2026-12-02 16:07:41.030127
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'eca012e891dd'
down_revision = '2bc8d2612cc6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_sealed', sa.LargeBinary(), nullable=True))
        batch_op.drop_column('reply')


def downgrade() -> None:
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply', sa.VARCHAR(length=1600), nullable=True))
        batch_op.drop_column('reply_sealed')
