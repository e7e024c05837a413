"""The digits captcha: a picture and a Mandarin recording of the same digits.

The challenge (its id, digits and end) is sealed with the server's key and kept in the
browser's session, so showing the form writes nothing: the database learns of a challenge only
when it is answered. An answer is checked once: right or wrong, the challenge's id is recorded
as spent (``SpentCaptcha``, until the challenge would have ended anyway), so a bot cannot keep
guessing against one picture, nor replay an old cookie.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, cast

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.core.identity import IdentityVault, WrongKeyError
from complaints.db.base import conflict_insert
from complaints.db.models import SpentCaptcha

DIGITS = 4
# No 1 and 7 (they read alike on a small screen); white digits on dark blue, over 4.5:1.
# (The library fades ink by its own brightness, so a light ink on a dark ground stays solid.)
SYMBOLS = "02345689"
INK = (255, 255, 255)
PAPER = (24, 40, 90)
LIFETIME = timedelta(minutes=20)
VOICES = Path(str(resources.files("complaints.intake").joinpath("voices")))
PURPOSE = "captcha"  # the vault's purpose for a sealed challenge

_image = ImageCaptcha(width=240, height=90, font_sizes=(64, 70, 76))
_audio = AudioCaptcha(voicedir=str(VOICES))


def new_challenge(vault: IdentityVault) -> bytes:
    """Fresh digits, sealed for the browser's session."""
    return vault.seal(json.dumps({
        "id": secrets.token_hex(16),
        "digits": "".join(secrets.choice(SYMBOLS) for _ in range(DIGITS)),
        "ends": int((now_utc() + LIFETIME).timestamp()),
    }), PURPOSE)


def current_digits(vault: IdentityVault, sealed: bytes | None) -> str | None:
    """The digits of a challenge still running; None for none, an ended or a forged one."""
    challenge = _opened(vault, sealed)
    return challenge["digits"] if challenge is not None else None


def image_png(digits: str) -> bytes:
    return _image.generate(digits, format="png", bg_color=PAPER, fg_color=INK).getvalue()


def audio_wav(digits: str) -> bytes:
    return bytes(_audio.generate(digits))


def check_answer(session: Session, vault: IdentityVault, sealed: bytes | None, answer: str,
                 test_answer: str | None = None) -> bool:
    """Use the challenge up, and say whether ``answer`` was right."""
    answer = "".join(ch for ch in answer if ch.isdigit())
    if test_answer is not None:
        return answer == test_answer
    challenge = _opened(vault, sealed)
    if challenge is None or not _spend(session, challenge["id"], challenge["ends"]):
        return False
    return secrets.compare_digest(challenge["digits"], answer)


def forget_expired(session: Session) -> int:
    """Spent challenges that have ended: an ended one is refused by its seal alone."""
    # A DELETE without RETURNING gives a CursorResult, which Session.execute is not typed to say.
    result = cast("CursorResult[Any]", session.execute(
        delete(SpentCaptcha).where(SpentCaptcha.expires_at <= now_utc())))
    return result.rowcount or 0


def _opened(vault: IdentityVault, sealed: bytes | None) -> dict[str, Any] | None:
    if not isinstance(sealed, bytes):
        return None
    try:
        challenge = json.loads(vault.open(sealed, PURPOSE))
    except (WrongKeyError, ValueError):
        return None
    if challenge["ends"] <= now_utc().timestamp():
        return None
    return cast("dict[str, Any]", challenge)


def _spend(session: Session, challenge_id: str, ends: int) -> bool:
    """Record the challenge as answered; False if it was already (two tabs, a replayed cookie).
    One statement that cannot race: the id is the key, a second insert does nothing."""
    insert = conflict_insert(session.get_bind().dialect)
    spent = session.scalar(
        insert(SpentCaptcha)
        .values(id=challenge_id, expires_at=datetime.fromtimestamp(ends, UTC))
        .on_conflict_do_nothing()
        .returning(SpentCaptcha.id))
    return spent is not None
