"""a keyed audit chain: links keyed from here on, the head's MAC, seals on cases and clues

The events so far keep their plain SHA-256 links: the chain is keyed from the next place
(``keyed_from_seq``). The head's MAC and the seals of existing cases and clues need the key,
which a migration does not hold: ``flask db upgrade`` seals them after this revision
(``cases.audit.seal_unsealed``); a head without a MAC is accepted only until the first keyed
link.

Revision ID: 9e34196c99bb
Revises: 4c4894a641f5
Create Date: 2026-12-04 01:45:53.463623
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '9e34196c99bb'
down_revision = '4c4894a641f5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keyed_from_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))

    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_event_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_event_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))

    head = sa.table('audit_head', sa.column('seq', sa.Integer()), sa.column('keyed_from_seq', sa.Integer()))
    op.execute(head.update().values(keyed_from_seq=head.c.seq + 1))


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_column('seal')
        batch_op.drop_column('last_event_seq')

    with op.batch_alter_table('clues', schema=None) as batch_op:
        batch_op.drop_column('seal')
        batch_op.drop_column('last_event_seq')

    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('mac')
        batch_op.drop_column('keyed_from_seq')

