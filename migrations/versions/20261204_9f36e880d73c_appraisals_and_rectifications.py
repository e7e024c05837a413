"""appraisal results (grade A-D, date, appraiser) and the rectification of C and D houses,
with their progress and the safety-status plate

Nothing to carry over.

Revision ID: 9f36e880d73c
Revises: c18ad98b02e4
Create Date: 2026-12-04 03:08:45.362950
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '9f36e880d73c'
down_revision = 'c18ad98b02e4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rectifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('rebuild', sa.Boolean(), nullable=False),
    sa.Column('opened_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('progress', sa.String(length=2000), nullable=True),
    sa.Column('done_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('plate_posted_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_rectifications_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectifications')),
    sa.UniqueConstraint('household_id', name=op.f('uq_rectifications_household_id'))
    )
    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grade', sa.Enum('A', 'B', 'C', 'D', name='appraisal_grade', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('appraised_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('appraiser', sa.String(length=60), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('appraisal_tasks', schema=None) as batch_op:
        # The grade's CHECK constraint goes first: SQLite rebuilds the table without the column.
        batch_op.drop_constraint(batch_op.f('ck_appraisal_tasks_appraisal_grade'), type_='check')
        batch_op.drop_column('appraiser')
        batch_op.drop_column('appraised_on')
        batch_op.drop_column('grade')

    op.drop_table('rectifications')
