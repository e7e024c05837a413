"""public intake: submission tokens, captcha challenges, sealed message bodies

Revision ID: 475f83b0bd8b
Revises: 21e6ea39d5e9
Create Date: 2026-11-28 21:08:27.650172
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import complaints.db

revision = '475f83b0bd8b'
down_revision = '21e6ea39d5e9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('captcha_challenges',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('digits', sa.String(length=8), nullable=False),
    sa.Column('expires_at', complaints.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_captcha_challenges'))
    )
    with op.batch_alter_table('captcha_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_captcha_challenges_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_complaints_submission_token'), ['submission_token'])

    # Seal the bodies of messages already queued, with the deployment's key.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_sealed', sa.LargeBinary(), nullable=True))
    _convert_bodies(seal=True)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('body_sealed', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('body')


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.VARCHAR(length=1600), nullable=True))
    _convert_bodies(seal=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('body', existing_type=sa.VARCHAR(length=1600), nullable=False)
        batch_op.drop_column('body_sealed')

    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_complaints_submission_token'), type_='unique')
        batch_op.drop_column('submission_token')

    with op.batch_alter_table('captcha_challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_captcha_challenges_expires_at'))

    op.drop_table('captcha_challenges')


def _convert_bodies(*, seal: bool) -> None:
    messages = sa.table('outbox_messages', sa.column('id', sa.Integer()),
                        sa.column('body', sa.String()), sa.column('body_sealed', sa.LargeBinary()))
    bind = op.get_bind()
    rows = bind.execute(sa.select(messages)).all()
    if not rows:
        return
    from complaints.config import load_settings
    from complaints.identity import IdentityVault

    vault = IdentityVault(load_settings().encryption_key)
    for row in rows:
        values = ({'body_sealed': vault.seal(row.body, 'outbox-body')} if seal
                  else {'body': vault.open(row.body_sealed, 'outbox-body')})
        bind.execute(messages.update().where(messages.c.id == row.id).values(**values))
