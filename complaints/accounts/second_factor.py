"""Staff's second factor: TOTP codes from an authenticator app, and one-time recovery codes.

Enrolment seals a new secret (bound to the account) and confirms it with a first code; only
then does the account need a code at login, and it gets ten recovery codes, shown once, kept
only as keyed hashes. A code is accepted once: the step it was made for is remembered, so a
code seen over a shoulder or in a proxy's log cannot be replayed. An administrator's reset is
an event in the audit chain. ``policy.needs_second_factor`` says who must enrol. Plain
Python: the login views and the CLI call these.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from complaints.accounts.sessions import end_all_sessions
from complaints.cases.events import record_account_event
from complaints.core.clock import now_utc
from complaints.core.identity import IdentityVault
from complaints.core.vocabulary import EventKind
from complaints.db.models import RecoveryCode, User

ISSUER = "云霄县住房安全举报"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_STEPS_EITHER_SIDE = 1  # a phone's clock 30 s off still works


class SecondFactorError(ValueError):
    """``code`` names the reason for the message catalogue (second_factor.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str  # otpauth://, for the QR code


def _owner(user: User) -> str:
    return f"user/{user.id}"


def is_enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None


def begin_enrolment(vault: IdentityVault, user: User) -> Enrolment:
    """A new secret for ``user``, waiting for its first code (an enrolled account keeps its
    own until it is reset)."""
    if is_enrolled(user):
        raise SecondFactorError("enrolled")
    secret = pyotp.random_base32()
    user.totp_secret_sealed = vault.seal(secret, "totp-secret", _owner(user))
    return _enrolment(secret, user)


def pending_enrolment(vault: IdentityVault, user: User) -> Enrolment | None:
    if is_enrolled(user) or user.totp_secret_sealed is None:
        return None
    return _enrolment(vault.open(user.totp_secret_sealed, "totp-secret", _owner(user)), user)


def _enrolment(secret: str, user: User) -> Enrolment:
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


def confirm_enrolment(session: Session, vault: IdentityVault, user: User, code: str) -> list[str]:
    """The first code proves the app holds the secret; returns the recovery codes, in clear,
    this once."""
    if pending_enrolment(vault, user) is None:
        raise SecondFactorError("not-started")
    if not _totp_matches(vault, user, code, session):
        raise SecondFactorError("wrong")
    user.totp_confirmed_at = now_utc()
    codes = _new_recovery_codes(session, vault, user)
    record_account_event(session, EventKind.SECOND_FACTOR_ENROLLED, actor=user,
                         details={"user": user.username})
    return codes


def check_code(session: Session, vault: IdentityVault, user: User, code: str) -> bool:
    """At login: a current TOTP code not used before, or an unused recovery code (used up).
    Each is taken by a conditional UPDATE, so two requests racing with one code cannot both
    win it."""
    if not is_enrolled(user):
        return False
    cleaned = "".join(code.split()).lower().replace("-", "")
    if cleaned.isdigit():
        return _totp_matches(vault, user, cleaned, session)
    taken = session.execute(
        update(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _recovery_hash(vault, cleaned),
            RecoveryCode.used_at.is_(None))
        .values(used_at=now_utc()).execution_options(synchronize_session=False))
    return bool(getattr(taken, "rowcount", 0))


def recovery_codes_left(session: Session, user: User) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def reset(session: Session, admin: User, user: User) -> None:
    """An administrator's reset, for a lost phone: the account enrols again at its next login,
    its sessions end now, and the chain records who reset whose."""
    user.totp_secret_sealed = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(session, user, "second-factor-reset")
    record_account_event(session, EventKind.SECOND_FACTOR_RESET, actor=admin,
                         details={"user": user.username})


def _totp_matches(vault: IdentityVault, user: User, code: str, session: Session) -> bool:
    if user.totp_secret_sealed is None or not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(vault.open(user.totp_secret_sealed, "totp-secret", _owner(user)))
    now_step = totp.timecode(now_utc())
    for step in range(now_step - _STEPS_EITHER_SIDE, now_step + _STEPS_EITHER_SIDE + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            # Taken only if no code of this step or a later one was used (by any request).
            taken = session.execute(
                update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None),
                                                            User.totp_last_step < step))
                .values(totp_last_step=step).execution_options(synchronize_session=False))
            if not getattr(taken, "rowcount", 0):
                return False
            set_committed_value(user, "totp_last_step", step)
            return True
    return False


def _new_recovery_codes(session: Session, vault: IdentityVault, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
             for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(vault, code))
                    for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _recovery_hash(vault: IdentityVault, code: str) -> str:
    return vault.lookup_hash(code, "recovery-code")
