"""The row that proves the configured encryption key reads this database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.core.identity import KEY_CHECK_PLAINTEXT, IdentityVault, WrongKeyError
from complaints.db.models import EncryptionKeyCheck


def check_or_record_key(session: Session, vault: IdentityVault) -> None:
    """Refuse a key that cannot open what this database holds; remember the first key used."""
    check = session.scalar(select(EncryptionKeyCheck).order_by(EncryptionKeyCheck.id).limit(1))
    if check is None:
        session.add(EncryptionKeyCheck(id=1, sealed=vault.seal(KEY_CHECK_PLAINTEXT, "key-check")))
        return
    try:
        opened = vault.open(check.sealed, "key-check")
    except WrongKeyError:
        opened = None
    if opened != KEY_CHECK_PLAINTEXT:
        raise WrongKeyError(
            "ENCRYPTION_KEY cannot decrypt the identities this database already holds: "
            "it is not the key the data was written with. Refusing to start."
        )
