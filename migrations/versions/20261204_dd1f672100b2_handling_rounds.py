"""rounds of handling: when the current one began (acceptance, or the latest reopening)

The cap on handling (60 days, then the extensions) counts from here, so a reopened case is not
late the moment it is dispatched again. Existing cases: their latest reopening, else their
acceptance.

Revision ID: dd1f672100b2
Revises: 9e34196c99bb
Create Date: 2026-12-04 02:01:14.262013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'dd1f672100b2'
down_revision = '9e34196c99bb'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handling_started_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))

    complaints_ = sa.table('complaints', sa.column('id', sa.Integer()),
                           sa.column('accepted_at', sa.DateTime()),
                           sa.column('handling_started_at', sa.DateTime()))
    events = sa.table('case_events', sa.column('complaint_id', sa.Integer()),
                      sa.column('action', sa.String()), sa.column('occurred_at', sa.DateTime()))
    reopened = (sa.select(sa.func.max(events.c.occurred_at))
                .where(events.c.complaint_id == complaints_.c.id, events.c.action == 'reopen')
                .scalar_subquery())
    op.execute(complaints_.update().values(
        handling_started_at=sa.func.coalesce(reopened, complaints_.c.accepted_at)))



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('handling_started_at')

