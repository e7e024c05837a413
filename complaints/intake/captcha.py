"""The digits captcha: a picture and a Mandarin recording of the same digits.

The digits live on the server (``CaptchaChallenge``); the browser's session
holds only the challenge id. An answer is checked once: right or wrong, the
challenge is gone, so a bot cannot keep guessing against one picture.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any, cast

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from complaints.core.clock import now_utc
from complaints.db.models import CaptchaChallenge

DIGITS = 4
# No 1 and 7 (they read alike on a small screen); white digits on dark blue, over 4.5:1.
# (The library fades ink by its own brightness, so a light ink on a dark ground stays solid.)
SYMBOLS = "02345689"
INK = (255, 255, 255)
PAPER = (24, 40, 90)
LIFETIME = timedelta(minutes=20)
VOICES = Path(str(resources.files("complaints.intake").joinpath("voices")))

_image = ImageCaptcha(width=240, height=90, font_sizes=(64, 70, 76))
_audio = AudioCaptcha(voicedir=str(VOICES))


def new_challenge(session: Session) -> str:
    """Store fresh digits and return the challenge id for the browser's session."""
    challenge = CaptchaChallenge(
        id=secrets.token_hex(16),
        digits="".join(secrets.choice(SYMBOLS) for _ in range(DIGITS)),
        expires_at=now_utc() + LIFETIME,
    )
    session.add(challenge)
    session.flush()
    return challenge.id


def current_digits(session: Session, challenge_id: str | None) -> str | None:
    if not challenge_id:
        return None
    challenge = session.get(CaptchaChallenge, challenge_id)
    if challenge is None or challenge.expires_at <= now_utc():
        return None
    return challenge.digits


def image_png(digits: str) -> bytes:
    return _image.generate(digits, format="png", bg_color=PAPER, fg_color=INK).getvalue()


def audio_wav(digits: str) -> bytes:
    return bytes(_audio.generate(digits))


def check_answer(session: Session, challenge_id: str | None, answer: str,
                 test_answer: str | None = None) -> bool:
    """Use the challenge up, and say whether ``answer`` was right."""
    answer = "".join(ch for ch in answer if ch.isdigit())
    if test_answer is not None:
        return answer == test_answer
    if not challenge_id:
        return False
    challenge = session.get(CaptchaChallenge, challenge_id)
    if challenge is None:
        return False
    session.delete(challenge)
    session.flush()
    return challenge.expires_at > now_utc() and secrets.compare_digest(challenge.digits, answer)


def forget_expired(session: Session) -> int:
    # A DELETE without RETURNING gives a CursorResult, which Session.execute is not typed to say.
    result = cast("CursorResult[Any]", session.execute(
        delete(CaptchaChallenge).where(CaptchaChallenge.expires_at <= now_utc())))
    return result.rowcount or 0
