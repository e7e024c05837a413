"""initial schema

Revision ID: fdd022bc3437
Revises: 
Create Date: 2026-11-28 20:18:33.820824
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'fdd022bc3437'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daily_counters',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_daily_counters'))
    )
    op.create_table('encryption_key_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_encryption_key_check'))
    )
    op.create_table('sms_opt_outs',
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('opted_out_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone_hash', name=op.f('pk_sms_opt_outs'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('lead', 'participating', 'township', 'zone', 'commission', name=op.f('ck_units_unit_kind'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('contact_person', sa.String(length=40), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('slug', name=op.f('uq_units_slug'))
    )
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_number', sa.String(length=20), nullable=False),
    sa.Column('query_code_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('web', 'sms', 'hotline', 'voice', 'api', name=op.f('ck_complaints_channel'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('received', 'accepted', 'rejected', 'assigned', 'in_progress', 'returned', 'transferred', 'resolved', 'closed', 'reopened', name=op.f('ck_complaints_status'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('description', sa.String(length=4000), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=True),
    sa.Column('village', sa.String(length=60), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('household_type', sa.Enum('registered-poor', 'minimum-allowance', 'extremely-poor', 'entitled-groups', 'disabled-poor', 'other-poor', 'unknown', name=op.f('ck_complaints_household_type'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('house_structure', sa.Enum('earth', 'earth-wood', 'brick-wood', 'brick-concrete', 'other', 'unknown', name=op.f('ck_complaints_house_structure'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('alleges_misconduct', sa.Boolean(), nullable=False),
    sa.Column('responsible_unit_id', sa.Integer(), nullable=True),
    sa.Column('deadline_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('latitude IS NULL OR (latitude BETWEEN -90 AND 90)', name=op.f('ck_complaints_latitude')),
    sa.CheckConstraint('longitude IS NULL OR (longitude BETWEEN -180 AND 180)', name=op.f('ck_complaints_longitude')),
    sa.ForeignKeyConstraint(['responsible_unit_id'], ['units.id'], name=op.f('fk_complaints_responsible_unit_id_units')),
    sa.ForeignKeyConstraint(['township_id'], ['units.id'], name=op.f('fk_complaints_township_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('tracking_number', name=op.f('uq_complaints_tracking_number'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_responsible_unit_id'), ['responsible_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('operator', 'liaison', 'lead', 'commission', 'admin', name=op.f('ck_users_role'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role <> 'liaison' OR unit_id IS NOT NULL", name=op.f('ck_users_liaison_has_unit')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp')", name=op.f('ck_attachments_content_type')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_attachments_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_user_id'], ['users.id'], name=op.f('fk_case_events_actor_user_id_users')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_case_events_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_complaint_id'), ['complaint_id'], unique=False)
    _make_case_events_append_only()

    op.create_table('complaint_co_units',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_complaint_co_units_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_complaint_co_units_unit_id_units')),
    sa.PrimaryKeyConstraint('complaint_id', 'unit_id', name=op.f('pk_complaint_co_units'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'email', name=op.f('ck_outbox_messages_channel'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recipient_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('recipient_hash', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.String(length=1600), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', 'not_sent', 'suppressed', name=op.f('ck_outbox_messages_status'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('provider_message_id', sa.String(length=64), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_outbox_messages_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_recipient_hash'), ['recipient_hash'], unique=False)

    op.create_table('reporter_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('name_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('phone_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_reporter_identities_complaint_id_complaints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporter_identities')),
    sa.UniqueConstraint('complaint_id', name=op.f('uq_reporter_identities_complaint_id'))
    )
    with op.batch_alter_table('reporter_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reporter_identities_phone_hash'), ['phone_hash'], unique=False)



def downgrade() -> None:
    _drop_case_events_guard()
    with op.batch_alter_table('reporter_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reporter_identities_phone_hash'))

    op.drop_table('reporter_identities')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_recipient_hash'))

    op.drop_table('outbox_messages')
    op.drop_table('complaint_co_units')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_complaint_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_complaint_id'))

    op.drop_table('attachments')
    op.drop_table('users')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.drop_index(batch_op.f('ix_complaints_responsible_unit_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_received_at'))

    op.drop_table('complaints')
    op.drop_table('units')
    op.drop_table('sms_opt_outs')
    op.drop_table('encryption_key_check')
    op.drop_table('daily_counters')


# The event log is evidence: the database itself refuses to change or delete an
# event, whatever code or console is connected to it.
def _make_case_events_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'case events are append-only'; END $$"
        )
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
        op.execute("DROP TRIGGER case_events_append_only ON case_events")
        op.execute("DROP FUNCTION case_events_append_only()")
    else:
        op.execute("DROP TRIGGER case_events_no_update")
        op.execute("DROP TRIGGER case_events_no_delete")
