"""case lifecycle, deadlines and audit chain

Revision ID: 21e6ea39d5e9
Revises: 8ab4a07507ca
Create Date: 2026-11-28 20:45:15.140965
"""

from __future__ import annotations

import hashlib
import json
from datetime import timezone

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '21e6ea39d5e9'
down_revision = '8ab4a07507ca'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('done_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_follow_ups_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_follow_ups_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('complaint_id', 'quarter', name=op.f('uq_follow_ups_complaint_id_quarter'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_unit_id'), ['unit_id'], unique=False)

    # Chain the events that exist: add the columns empty, fill them in order, then require them.
    _drop_case_events_guard()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    head_seq, head_hash = _chain_existing_events()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_case_events_seq'), ['seq'])
    op.bulk_insert(sa.table('audit_head', sa.column('id'), sa.column('seq'), sa.column('hash')),
                   [{'id': 1, 'seq': head_seq, 'hash': head_hash}])
    _make_case_events_append_only()

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_provisional', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('status_changed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolve_due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('working_days_to_resolve', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Enum('rectified', 'appraised-safe', 'not-substantiated', 'other-channel', name=op.f('ck_complaints_outcome'), native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('clue_disposition', sa.Enum('transferred', 'declined', name=op.f('ck_complaints_clue_disposition'), native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('clue_due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('extension_days_granted', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('pending_extension_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pending_transfer_unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reporter_says_fixed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('reporter_satisfaction', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_ended_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaints_deadline_at'), ['deadline_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_resolved_at'), ['resolved_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_complaints_pending_transfer_unit_id_units'), 'units', ['pending_transfer_unit_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_complaints_satisfaction'), 'reporter_satisfaction IS NULL OR reporter_satisfaction BETWEEN 1 AND 5')
        batch_op.create_check_constraint(op.f('ck_complaints_extension_days'), 'extension_days_granted >= 0')
    op.execute("UPDATE complaints SET status_changed_at = updated_at")
    op.create_index(op.f('ix_complaint_co_units_unit_id'), 'complaint_co_units', ['unit_id'], unique=False)
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.alter_column('status_changed_at', existing_type=complaints.db.base.UTCDateTime(timezone=True), nullable=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_complaint_co_units_unit_id'), table_name='complaint_co_units')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_complaints_extension_days'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_complaints_satisfaction'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_complaints_clue_disposition'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_complaints_outcome'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_complaints_pending_transfer_unit_id_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_complaints_resolved_at'))
        batch_op.drop_index(batch_op.f('ix_complaints_deadline_at'))
        batch_op.drop_column('follow_up_ended_at')
        batch_op.drop_column('reporter_satisfaction')
        batch_op.drop_column('reporter_says_fixed')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('pending_transfer_unit_id')
        batch_op.drop_column('pending_extension_days')
        batch_op.drop_column('extension_days_granted')
        batch_op.drop_column('clue_due_at')
        batch_op.drop_column('clue_disposition')
        batch_op.drop_column('outcome')
        batch_op.drop_column('working_days_to_resolve')
        batch_op.drop_column('resolve_due_at')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('deadline_provisional')

    _drop_case_events_guard()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_case_events_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    _make_case_events_append_only()

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_unit_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_complaint_id'))

    op.drop_table('follow_ups')
    op.drop_table('audit_head')


# The chain's link, frozen as it was when this revision was written (format 1), so that an
# old backup upgrades to the same hashes whatever the live code later becomes.
GENESIS = "0" * 64


def canonical(*, seq, complaint_id, occurred_at, actor_user_id, actor_kind, action,  # type: ignore[no-untyped-def]
              from_status, to_status, note, details) -> bytes:
    content = {
        "format": 1, "seq": seq, "complaint_id": complaint_id,
        "occurred_at": occurred_at.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "actor_user_id": actor_user_id, "actor_kind": actor_kind, "action": action,
        "from_status": from_status, "to_status": to_status, "note": note, "details": details,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + content).hexdigest()


def _chain_existing_events() -> tuple[int, str]:
    """Link the events already stored, oldest first, exactly as the app links new ones."""
    events = sa.table(
        'case_events', sa.column('id', sa.Integer()), sa.column('complaint_id', sa.Integer()),
        sa.column('occurred_at', complaints.db.base.UTCDateTime(timezone=True)),
        sa.column('actor_user_id', sa.Integer()), sa.column('actor_kind', sa.String()),
        sa.column('action', sa.String()), sa.column('from_status', sa.String()),
        sa.column('to_status', sa.String()), sa.column('note', sa.String()),
        sa.column('details', sa.JSON()), sa.column('seq', sa.Integer()),
        sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    prev, seq = GENESIS, 0
    for row in rows:
        seq += 1
        fields = {name: row[name] for name in (
            'complaint_id', 'occurred_at', 'actor_user_id', 'actor_kind', 'action',
            'from_status', 'to_status', 'note', 'details')}
        digest = link_hash(prev, canonical(seq=seq, **fields))
        bind.execute(events.update().where(events.c.id == row['id'])
                     .values(seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    return seq, prev


# The same guard as the first migration: SQLite loses triggers when batch mode
# copies a table, so this migration lifts and restores it around its changes.
def _make_case_events_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events "
            "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER case_events_no_{verb.lower()} BEFORE {verb} ON case_events "
                "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END"
            )


def _drop_case_events_guard() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_events_append_only ON case_events")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_delete")
