"""clues as records of their own

A clue becomes a row of ``clues`` with its own events (``case_events.clue_id``, no case),
so that nothing of an accusation shows on the case that units and reporters read. Each
case that alleged misconduct gets its clue here, in the state its old disposition said;
its text is the allegation, and the part units read (``hazard_description``) starts empty
until the lead unit sets it, because who was accused is not known for these cases. The
case-level clue columns go. The events already in the chain are not touched.

Revision ID: 2bc8d2612cc6
Revises: db213ebc6cdd
Create Date: 2026-12-02 06:55:58.254756
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db.base

revision = '2bc8d2612cc6'
down_revision = 'db213ebc6cdd'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=True),
    sa.Column('complaint_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Enum('report', 'found-by-unit', 'higher-level', '12345', 'letter', 'visit', 'fax', 'email', name=op.f('ck_clues_source'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recorded_by_unit_id', sa.Integer(), nullable=True),
    sa.Column('accused_unit_id', sa.Integer(), nullable=True),
    sa.Column('accused_name_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('accused_post', sa.String(length=60), nullable=True),
    sa.Column('real_name', sa.Boolean(), nullable=False),
    sa.Column('allegation', sa.String(length=4000), nullable=False),
    sa.Column('state', sa.Enum('pending', 'declined', 'not-a-clue', 'transferred', 'signed', 'disposed', 'returned', name=op.f('ck_clues_state'), native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('received_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.Column('transferred_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disposition', sa.Enum('talk-or-inquiry', 'preliminary-check', 'kept-pending', 'closed', 'case-opened', name=op.f('ck_clues_disposition'), native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('result', sa.String(length=2000), nullable=True),
    sa.Column('result_on', sa.Date(), nullable=True),
    sa.Column('returned_to_unit_id', sa.Integer(), nullable=True),
    sa.Column('escalated_at', complaints.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accused_unit_id'], ['units.id'], name=op.f('fk_clues_accused_unit_id_units')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaints.id'], name=op.f('fk_clues_complaint_id_complaints')),
    sa.ForeignKeyConstraint(['recorded_by_unit_id'], ['units.id'], name=op.f('fk_clues_recorded_by_unit_id_units')),
    sa.ForeignKeyConstraint(['returned_to_unit_id'], ['units.id'], name=op.f('fk_clues_returned_to_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clues')),
    sa.UniqueConstraint('number', name=op.f('uq_clues_number'))
    )
    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clues_accused_unit_id'), ['accused_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_complaint_id'), ['complaint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_recorded_by_unit_id'), ['recorded_by_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_clues_state'), ['state'], unique=False)

    _drop_case_events_guard()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clue_id', sa.Integer(), nullable=True))
        batch_op.alter_column('complaint_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_case_events_clue_id'), ['clue_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_case_events_clue_id_clues'), 'clues', ['clue_id'], ['id'])
    _make_case_events_append_only()

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hazard_description', sa.String(length=4000), nullable=True))

    _clues_from_cases()

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_complaints_clue_disposition'), type_='check')
        batch_op.drop_column('clue_due_at')
        batch_op.drop_column('clue_disposition')


_complaints = sa.table(
    "complaints", sa.column("id", sa.Integer), sa.column("description", sa.String),
    sa.column("received_at", complaints.db.base.UTCDateTime), sa.column("alleges_misconduct", sa.Boolean),
    sa.column("clue_disposition", sa.String), sa.column("clue_due_at", complaints.db.base.UTCDateTime),
    sa.column("hazard_description", sa.String),
)
_clues = sa.table(
    "clues", sa.column("id", sa.Integer), sa.column("number", sa.String),
    sa.column("complaint_id", sa.Integer), sa.column("source", sa.String),
    sa.column("real_name", sa.Boolean), sa.column("allegation", sa.String),
    sa.column("state", sa.String), sa.column("received_at", complaints.db.base.UTCDateTime),
    sa.column("due_at", complaints.db.base.UTCDateTime),
)
_identities = sa.table("reporter_identities", sa.column("complaint_id", sa.Integer),
                       sa.column("name_sealed", sa.LargeBinary))
# The old disposition -> the clue's state (None: the lead unit had not decided).
_STATES = {"transferred": "transferred", "declined": "declined", None: "pending"}


def _clues_from_cases() -> None:
    connection = op.get_bind()
    named = {row.complaint_id for row in connection.execute(
        sa.select(_identities.c.complaint_id).where(_identities.c.name_sealed.is_not(None)))}
    cases = connection.execute(sa.select(_complaints).where(
        _complaints.c.alleges_misconduct.is_(True)).order_by(_complaints.c.id)).all()
    for case in cases:
        clue_id = connection.execute(sa.insert(_clues).values(
            complaint_id=case.id, source="report", real_name=case.id in named,
            allegation=case.description, state=_STATES.get(case.clue_disposition, "pending"),
            received_at=case.received_at,
            due_at=case.clue_due_at if case.clue_disposition is None else None,
        ).returning(_clues.c.id)).scalar_one()
        connection.execute(sa.update(_clues).where(_clues.c.id == clue_id)
                           .values(number=f"XS{clue_id:06d}"))
    connection.execute(sa.update(_complaints).where(_complaints.c.alleges_misconduct.is_(True))
                       .values(hazard_description=""))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(sa.table(
            "case_events", sa.column("clue_id", sa.Integer))).where(
            sa.column("clue_id").is_not(None))).scalar_one():
        # The old schema has no place for them, and deleting them would break the chain.
        raise RuntimeError("clue events are in the audit chain: this database cannot go back")
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clue_disposition', sa.Enum(
            'transferred', 'declined', name=op.f('ck_complaints_clue_disposition'), native_enum=False,
            create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('clue_due_at', complaints.db.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.drop_column('hazard_description')
    back = {"transferred": "transferred", "declined": "declined"}
    for clue in connection.execute(sa.select(_clues)).all():
        connection.execute(sa.update(_complaints).where(_complaints.c.id == clue.complaint_id).values(
            clue_disposition=back.get(clue.state), clue_due_at=clue.due_at))

    _drop_case_events_guard()
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_events_clue_id_clues'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_events_clue_id'))
        batch_op.alter_column('complaint_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('clue_id')
    _make_case_events_append_only()

    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clues_state'))
        batch_op.drop_index(batch_op.f('ix_clues_recorded_by_unit_id'))
        batch_op.drop_index(batch_op.f('ix_clues_received_at'))
        batch_op.drop_index(batch_op.f('ix_clues_due_at'))
        batch_op.drop_index(batch_op.f('ix_clues_complaint_id'))
        batch_op.drop_index(batch_op.f('ix_clues_accused_unit_id'))

    op.drop_table('clues')


# The same guard as the first migration: SQLite loses triggers when batch mode copies a
# table, so this migration lifts and restores it around its change to case_events.
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
