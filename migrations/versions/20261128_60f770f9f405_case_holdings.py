"""case holdings

Revision ID: 60f770f9f405
Revises: 01ed71ad50d6
Create Date: 2026-11-28 22:56:32.023188
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '60f770f9f405'
down_revision = '01ed71ad50d6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_holdings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('held_from', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('held_until', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_case_holdings_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_holdings'))
    )
    with op.batch_alter_table('case_holdings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_holdings_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index('ix_case_holdings_held_from_held_until', ['held_from', 'held_until'], unique=False)
    _derive_from_existing_events()


def downgrade() -> None:
    with op.batch_alter_table('case_holdings', schema=None) as batch_op:
        batch_op.drop_index('ix_case_holdings_held_from_held_until')
        batch_op.drop_index(batch_op.f('ix_case_holdings_complaint_id'))

    op.drop_table('case_holdings')


# The holdings rule as it stood when this revision was written, frozen here so that an old
# backup upgrades to the same stretches whatever the live rule later becomes. (``audit
# verify`` compares the stored stretches with the live rule's replay, so a later change of
# the rule comes with its own migration.)
DISPATCH = ("assign", "approve-transfer", "transfer")
NEW_DEADLINE = ("grant-extension", "recount-deadline")
RELEASE = ("return", "resolve", "reject")
CHANGES = (*DISPATCH, *NEW_DEADLINE, *RELEASE)


def _holder_after(current, action, details, when):  # type: ignore[no-untyped-def]
    """(unit, due, since) after an event, ``current`` when it changes nothing, None when no
    unit holds the case."""
    details = details or {}
    due = datetime.fromisoformat(details["due"]) if details.get("due") else None
    if action in DISPATCH:
        unit = details.get("unit") if action == "assign" else details.get("to")
        return (unit, due, when) if unit else None
    if action in NEW_DEADLINE:
        return (current[0], due, when) if current and due else current
    if action in RELEASE:
        return None
    return current


def replay(rows):  # type: ignore[no-untyped-def]
    """(complaint id, unit, held from, held until, due at) from events ordered by case."""
    case_id, current = None, None
    for complaint_id, action, details, when in rows:
        if complaint_id != case_id:
            if current is not None and case_id is not None:
                yield case_id, current[0], current[2], None, current[1]
            case_id, current = complaint_id, None
        after = _holder_after(current, action, details, when)
        if after is not current:
            if current is not None:
                yield complaint_id, current[0], current[2], when, current[1]
            current = after
    if current is not None and case_id is not None:
        yield case_id, current[0], current[2], None, current[1]


def _derive_from_existing_events() -> None:
    """Replay the events already stored with the rule the app applied to new ones."""
    events = sa.table(
        'case_events', sa.column('seq', sa.Integer()), sa.column('complaint_id', sa.Integer()),
        sa.column('action', sa.String()), sa.column('details', sa.JSON()),
        sa.column('occurred_at', complaints.db.base.UTCDateTime(timezone=True)),
    )
    holdings = sa.table(
        'case_holdings', sa.column('complaint_id', sa.Integer()), sa.column('unit', sa.String()),
        sa.column('held_from', complaints.db.base.UTCDateTime(timezone=True)),
        sa.column('held_until', complaints.db.base.UTCDateTime(timezone=True)),
        sa.column('due_at', complaints.db.base.UTCDateTime(timezone=True)),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(events.c.complaint_id, events.c.action, events.c.details, events.c.occurred_at)
        .where(events.c.action.in_(CHANGES)).order_by(events.c.complaint_id, events.c.seq)).all()
    names = ('complaint_id', 'unit', 'held_from', 'held_until', 'due_at')
    stretches = [dict(zip(names, stretch)) for stretch in replay(tuple(row) for row in rows)]
    if stretches:
        op.bulk_insert(holdings, stretches)
