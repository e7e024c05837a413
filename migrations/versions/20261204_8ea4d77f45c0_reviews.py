"""reviews of an answer (复查, then 复核), each with its own window and deadline

A reporter who disputes the answer asks for a review within 30 days; the level above decides
within 30 days (upheld: closed; or handled again). Nothing to carry over: reopenings made
before this stay what they were.

Revision ID: 8ea4d77f45c0
Revises: be766cc8c15e
Create Date: 2026-12-04 02:20:06.311820
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '8ea4d77f45c0'
down_revision = 'be766cc8c15e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviews_requested', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('review_pending_since', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_decided_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_review_pending_since'), ['review_pending_since'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_review_pending_since'))
        batch_op.drop_column('review_decided_at')
        batch_op.drop_column('review_due_at')
        batch_op.drop_column('review_pending_since')
        batch_op.drop_column('reviews_requested')

