"""Creating staff accounts and checking passwords. Plain Python, used by the CLI and the views."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from complaints.accounts.sessions import end_all_sessions
from complaints.cases.policy import may_belong_to
from complaints.core.clock import now_utc
from complaints.core.limits import DISPLAY_NAME_MAX, USERNAME_MAX
from complaints.core.vocabulary import Role
from complaints.db.models import Unit, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs
# Verified when the username is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def use_cheap_hashing() -> None:
    """For the test suite only (its conftest calls this): argon2id at the library's cheapest
    profile, so that hundreds of test accounts do not cost minutes. Hashes carry their own
    parameters, so a production hash still verifies; it is never called by the app."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


class AccountError(ValueError):
    pass


def normalise_username(username: str) -> str:
    return username.strip().lower()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    session: Session,
    username: str,
    role: Role,
    password: str,
    *,
    display_name: str | None = None,
    unit_slug: str | None = None,
    email: str | None = None,
) -> User:
    username = normalise_username(username)
    if not username or len(username) > USERNAME_MAX or not username.replace("-", "").replace(
        "_", ""
    ).replace(".", "").isalnum() or not username.isascii():
        raise AccountError(
            f"username: 1-{USERNAME_MAX} ASCII letters, digits, '.', '-' or '_'"
        )
    display_name = (display_name or username).strip()
    check_password(password, username, display_name)
    if len(display_name) > DISPLAY_NAME_MAX:
        raise AccountError(f"display name: at most {DISPLAY_NAME_MAX} characters")
    unit = None
    if unit_slug is not None:
        unit = session.scalar(select(Unit).where(Unit.slug == unit_slug))
        if unit is None:
            raise AccountError(f"unit: no unit with slug {unit_slug!r}")
    if not may_belong_to(role, unit):
        raise AccountError(
            {
                Role.LIAISON: "a liaison needs --unit",
                Role.LEAD: "a lead account belongs to the lead unit (kind lead in the table)",
                Role.COMMISSION: "a commission account belongs to the commission (kind commission)",
                Role.HELPER: "a helper belongs to a township (--unit, kind township or zone)",
            }.get(role, f"a {role.value} account belongs to no unit")
        )
    if session.scalar(select(func.count()).where(User.username == username)):
        raise AccountError(f"username: {username!r} is taken")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=_hasher.hash(password),
        role=role,
        unit=unit,
        email=email,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None or len(password) > MAX_PASSWORD_LENGTH:
        _verify(_DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
        return None
    if not _verify(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now_utc()
    return user


class PasswordRefused(AccountError):
    """``code`` names the reason for the message catalogue (password.error.<code>)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"password: {detail}")
        self.code = code


# What a guesser tries first for this service: its place and its units.
_SERVICE_WORDS = ["yunxiao", "云霄", "zhujian", "住建", "housing", "complaints", "fupin", "jiwei"]
LEAST_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" for an online attack


def check_password(password: str, *personal: str) -> None:
    """Refuses a short or guessable password: common ones, repeats and sequences, and those
    made of the account's own name or the service's words (zxcvbn, Dropbox's estimator)."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise PasswordRefused("length", f"{MIN_PASSWORD_LENGTH}-{MAX_PASSWORD_LENGTH} characters")
    if zxcvbn(password, user_inputs=[*personal, *_SERVICE_WORDS])["score"] < LEAST_STRENGTH:
        raise PasswordRefused("weak", "too easy to guess (a common word, a repeat, a sequence, "
                                      "or the account's name)")


def change_password(session: Session, user: User, current: str, new: str,
                    keep_session: str | None = None) -> None:
    """The user's own change: the current password first; every other session of theirs ends
    (a stolen cookie too), ``keep_session``'s token stays logged in."""
    if not _verify(user.password_hash, current[:MAX_PASSWORD_LENGTH]):
        raise PasswordRefused("current", "the current password is not right")
    if new == current:
        raise PasswordRefused("same", "the new password is the old one")
    check_password(new, user.username, user.display_name)
    user.password_hash = _hasher.hash(new)
    end_all_sessions(session, user, "password-changed", keep_token=keep_session)


def deactivate(session: Session, username: str) -> User:
    """The account can no longer log in, and every session it has open ends now."""
    user = session.scalar(select(User).where(User.username == normalise_username(username)))
    if user is None:
        raise AccountError(f"no account {username!r}")
    user.is_active = False
    end_all_sessions(session, user, "deactivated")
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def name_unit_contact(session: Session, user: User) -> None:
    """Make ``user`` their unit's named liaison (具体联络员), in place of any before."""
    if user.unit_id is None or not user.is_active or user.role is not Role.LIAISON:
        raise AccountError("unit contact: an active liaison of a unit")
    session.execute(update(User).where(User.unit_id == user.unit_id, User.id != user.id)
                    .values(is_unit_contact=False))
    user.is_unit_contact = True
