"""The SMS the webhook kept and the worker has not acted on yet: a partial index of the few
rows whose kind is still unset, oldest first (the worker's queue).

Revision ID: c088c0c1921e
Revises: f7b668eb008e
Create Date: 2026-12-07 17:59:27.410183
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c088c0c1921e'
down_revision = 'f7b668eb008e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every earlier row was acted on in the request that kept it: none is waiting.
    op.create_index('ix_inbound_sms_waiting', 'inbound_sms', ['id'], unique=False,
                    sqlite_where=sa.text('kind IS NULL'), postgresql_where=sa.text('kind IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_inbound_sms_waiting', table_name='inbound_sms')
