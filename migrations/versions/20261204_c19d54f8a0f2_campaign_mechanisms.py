"""the campaign's other mechanisms: quarterly visits to roster households, helpers and their
reports, photos of a household's house, townships' monthly reports, problems units enter on the
ledger; the roles and channels they add

Revision ID: c19d54f8a0f2
Revises: 1613262e772d
Create Date: 2026-12-04 19:01:13.948317
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'c19d54f8a0f2'
down_revision = '1613262e772d'
branch_labels = None
depends_on = None

# The values each stored enum allowed before and allows after, as written here (not imported).
ROLES_BEFORE = ("operator", "liaison", "lead", "commission", "admin")
ROLES_AFTER = (*ROLES_BEFORE, "helper")
CHANNELS_BEFORE = ("web", "sms", "hotline", "voice", "api")
CHANNELS_AFTER = (*CHANNELS_BEFORE, "visit", "helper")


def _allow(table: str, column: str, values: tuple[str, ...]) -> None:
    name = f"ck_{table}_{column}"
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.create_check_constraint(op.f(name), sa.text(f"{column} IN ({listed})"))


def upgrade() -> None:
    op.create_table('inspection_problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('measure', sa.String(length=2000), nullable=True),
    sa.Column('responsible_person', sa.String(length=40), nullable=False),
    sa.Column('deadline_on', sa.Date(), nullable=False),
    sa.Column('progress', sa.String(length=2000), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_inspection_problems_recorded_by_user_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_inspection_problems_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_problems'))
    )
    with op.batch_alter_table('inspection_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_problems_unit_id'), ['unit_id'], unique=False)

    op.create_table('township_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('monthly', 'summary', name='report_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('submitted_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['submitted_by_user_id'], ['users.id'], name=op.f('fk_township_reports_submitted_by_user_id_users')),
    sa.ForeignKeyConstraint(['township_id'], ['units.id'], name=op.f('fk_township_reports_township_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_township_reports')),
    sa.UniqueConstraint('township_id', 'kind', 'period', name=op.f('uq_township_reports_township_id_kind_period'))
    )
    op.create_table('household_helpers',
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_helpers_household_id_households')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_household_helpers_user_id_users')),
    sa.PrimaryKeyConstraint('household_id', 'user_id', name=op.f('pk_household_helpers'))
    )
    with op.batch_alter_table('household_helpers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_helpers_user_id'), ['user_id'], unique=False)

    op.create_table('household_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('result', sa.Enum('safe', 'hazard', 'dealt-with', name='visit_result', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('visited_by_user_id', sa.Integer(), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_household_visits_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_visits_household_id_households')),
    sa.ForeignKeyConstraint(['township_id'], ['units.id'], name=op.f('fk_household_visits_township_id_units')),
    sa.ForeignKeyConstraint(['visited_by_user_id'], ['users.id'], name=op.f('fk_household_visits_visited_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_visits')),
    sa.UniqueConstraint('household_id', 'quarter', name=op.f('uq_household_visits_household_id_quarter'))
    )
    with op.batch_alter_table('household_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_visits_quarter'), ['quarter'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_visits_township_id'), ['township_id'], unique=False)

    op.create_table('household_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('appraisal', 'rectification', 'plate', 'visit', name='photo_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp')", name=op.f('ck_household_photos_content_type')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_photos_household_id_households')),
    sa.ForeignKeyConstraint(['visit_id'], ['household_visits.id'], name=op.f('fk_household_photos_visit_id_household_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_photos'))
    )
    with op.batch_alter_table('household_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_photos_household_id'), ['household_id'], unique=False)

    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalated_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True))
    _allow("users", "role", ROLES_AFTER)
    _allow("complaints", "channel", CHANNELS_AFTER)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_check_constraint(op.f("ck_users_helper_has_unit"),
                                         sa.text("role <> 'helper' OR unit_id IS NOT NULL"))
        batch_op.add_column(sa.Column("is_unit_contact", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM household_helpers")
    op.execute("DELETE FROM staff_sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'helper')")
    op.execute("UPDATE users SET is_active = false, role = 'liaison' WHERE role = 'helper'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_helper_has_unit"), type_="check")
        batch_op.drop_column("is_unit_contact")
    _allow("users", "role", ROLES_BEFORE)
    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        batch_op.drop_column('escalated_at')
    # Cases a visit or a helper filed stay, as filed by staff through the service.
    op.execute("UPDATE complaints SET channel = 'api' WHERE channel IN ('visit', 'helper')")
    _allow("complaints", "channel", CHANNELS_BEFORE)
    with op.batch_alter_table('household_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_photos_household_id'))

    op.drop_table('household_photos')
    with op.batch_alter_table('household_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_visits_township_id'))
        batch_op.drop_index(batch_op.f('ix_household_visits_quarter'))

    op.drop_table('household_visits')
    with op.batch_alter_table('household_helpers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_helpers_user_id'))

    op.drop_table('household_helpers')
    op.drop_table('township_reports')
    with op.batch_alter_table('inspection_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_problems_unit_id'))

    op.drop_table('inspection_problems')
