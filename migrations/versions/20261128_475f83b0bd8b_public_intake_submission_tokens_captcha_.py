"""public intake: submission tokens, captcha challenges, sealed message bodies

Revision ID: 475f83b0bd8b
Revises: 21e6ea39d5e9
Create Date: 2026-11-28 21:08:27.650172
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from alembic import op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

import complaints.db.base

revision = '475f83b0bd8b'
down_revision = '21e6ea39d5e9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('captcha_challenges',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('digits', sa.String(length=8), nullable=False),
    sa.Column('expires_at', complaints.db.base.UTCDateTime(timezone=True), nullable=False),
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
    aead = AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                       info=b"complaints/seal/v1").derive(_encryption_key()))
    for row in rows:
        values = ({'body_sealed': _seal(aead, row.body)} if seal
                  else {'body': _open(aead, row.body_sealed)})
        bind.execute(messages.update().where(messages.c.id == row.id).values(**values))


# Sealing as the identity vault did when this revision was written (format 1: version byte,
# 12-byte nonce, AES-GCM with the purpose as associated data), carried here so that an old
# backup upgrades the same way whatever the live code later becomes.
PURPOSE = b"outbox-body"


def _seal(aead: AESGCM, text: str) -> bytes:
    nonce = os.urandom(12)
    return b"\x01" + nonce + aead.encrypt(nonce, text.encode("utf-8"), PURPOSE)


def _open(aead: AESGCM, sealed: bytes) -> str:
    return aead.decrypt(sealed[1:13], sealed[13:], PURPOSE).decode("utf-8")


def _encryption_key() -> bytes:
    """The key the app runs with: handed over by ``complaints.db.migrate``, or (plain
    ``alembic``) read from the app's configuration, which is where it lives."""
    key = op.get_context().config.attributes.get("encryption_key")
    if key is None:
        from complaints.core.config import load_settings

        key = load_settings().encryption_key
    return key
