"""the roster of poor households: the lists the providing units send, the households, and
each new household's appraisal task (信息共享)

Nothing to carry over: the roster starts empty.

Revision ID: c18ad98b02e4
Revises: 2f2470fcdf8c
Create Date: 2026-12-04 03:04:41.014256
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = 'c18ad98b02e4'
down_revision = '2f2470fcdf8c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('roster_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('provided_by_unit_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('imported_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('imported_by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_user_id'], ['users.id'], name=op.f('fk_roster_lists_imported_by_user_id_users')),
    sa.ForeignKeyConstraint(['provided_by_unit_id'], ['units.id'], name=op.f('fk_roster_lists_provided_by_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_lists')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_roster_lists_file_sha256'))
    )
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('head_name_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('id_number_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('id_number_hash', sa.String(length=64), nullable=False),
    sa.Column('id_number_masked', sa.String(length=18), nullable=False),
    sa.Column('phone_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('village', sa.String(length=60), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('household_type', sa.Enum('registered-poor', 'minimum-allowance', 'extremely-poor', 'entitled-groups', 'disabled-poor', 'other-poor', 'unknown', name='household_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('house_structure', sa.Enum('earth', 'earth-wood', 'brick-wood', 'brick-concrete', 'other', 'unknown', name='house_structure', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('first_list_id', sa.Integer(), nullable=False),
    sa.Column('created_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['first_list_id'], ['roster_lists.id'], name=op.f('fk_households_first_list_id_roster_lists')),
    sa.ForeignKeyConstraint(['township_id'], ['units.id'], name=op.f('fk_households_township_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('id_number_hash', name=op.f('uq_households_id_number_hash'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_township_id'), ['township_id'], unique=False)

    op.create_table('appraisal_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_appraisal_tasks_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_tasks')),
    sa.UniqueConstraint('household_id', name=op.f('uq_appraisal_tasks_household_id'))
    )
    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisal_tasks_due_at'), ['due_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appraisal_tasks_due_at'))

    op.drop_table('appraisal_tasks')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_township_id'))

    op.drop_table('households')
    op.drop_table('roster_lists')
