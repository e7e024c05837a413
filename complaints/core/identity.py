"""Reporters' identities: encryption at rest, phone normalisation and keyed hashes.

One master key (``ENCRYPTION_KEY``, never stored in the database) derives two
keys: one for AES-GCM sealing, one for HMAC lookups (phones, query codes).
Each sealed value carries the purpose it was sealed for, so a value copied
into another column does not open there, and a reporter's or an accused's identity also
the record it belongs to (``owner``), so a row moved to another case does not open there.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass

import phonenumbers
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_FORMAT_VERSION = b"\x01"  # sealed for a purpose
_BOUND_VERSION = b"\x02"  # sealed for a purpose and an owner
_NONCE_BYTES = 12
KEY_CHECK_PLAINTEXT = "yunxiao-complaints key check"


class WrongKeyError(RuntimeError):
    """The configured key cannot open what the database already holds."""


class UnboundValueError(WrongKeyError):
    """A value sealed before it was bound to its owner: ``flask db upgrade`` binds it."""


class InvalidPhoneError(ValueError):
    """Not a phone number we can reach."""


def _derive(master_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master_key)


class IdentityVault:
    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key is 32 bytes")
        self._aead = AESGCM(_derive(master_key, b"complaints/seal/v1"))
        self._lookup_key = _derive(master_key, b"complaints/lookup/v1")

    def seal(self, plaintext: str, purpose: str, owner: str | None = None) -> bytes:
        """``owner`` ("case/42") binds the value to its record: it opens only for that owner."""
        nonce = os.urandom(_NONCE_BYTES)
        version = _FORMAT_VERSION if owner is None else _BOUND_VERSION
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), _associated(purpose, owner))
        return version + nonce + sealed

    def open(self, sealed: bytes, purpose: str, owner: str | None = None) -> str:
        version = sealed[:1]
        if version not in (_FORMAT_VERSION, _BOUND_VERSION):
            raise WrongKeyError("sealed value has an unknown format")
        if (version == _BOUND_VERSION) != (owner is not None):
            if owner is not None:
                raise UnboundValueError(f"a {purpose} value not yet bound to its record")
            raise WrongKeyError(f"a {purpose} value bound to a record opened without it")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, _associated(purpose, owner)).decode("utf-8")
        except InvalidTag:
            raise WrongKeyError(f"this {purpose} value does not open here (another key, "
                                "or moved from another record)") from None

    @staticmethod
    def is_bound(sealed: bytes) -> bool:
        return sealed[:1] == _BOUND_VERSION

    def lookup_hash(self, value: str, purpose: str) -> str:
        message = purpose.encode("ascii") + b"\x00" + value.encode("utf-8")
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()

    def phone_hash(self, e164_phone: str) -> str:
        return self.lookup_hash(e164_phone, "phone")


# Sessions carry the audit chain's keys here (``session.info``): what writes the chain or a
# case holds them, and nothing made without them can.
AUDIT_KEYS = "audit_keys"


@dataclass(frozen=True)
class AuditKeys:
    """The audit chain's keys, derived from the master key and so never in the database: one
    keys the chain's links and the records' seals (a rewrite needs it), one signs the
    checkpoints that a second party keeps and checks with its public half."""

    link_key: bytes
    signing_key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return self.signing_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()

    def mac(self, message: bytes) -> str:
        return hmac.new(self.link_key, message, hashlib.sha256).hexdigest()


def audit_keys(master_key: bytes) -> AuditKeys:
    return AuditKeys(_derive(master_key, b"complaints/audit/v1"), Ed25519PrivateKey.from_private_bytes(
        _derive(master_key, b"complaints/checkpoint/v1")))


def _associated(purpose: str, owner: str | None) -> bytes:
    return purpose.encode("ascii") + (b"" if owner is None else b"\x00" + owner.encode("ascii"))


def normalise_phone(raw: str) -> str:
    """E.164 form of a Chinese number as people write it (130 5544 1314, +86..., 0596-...)."""
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhoneError(raw) from None
    # Valid, not merely possible: 12345, 1380596123 and 138059612345 are no numbers.
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneError(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164_phone: str) -> bool:
    """Whether an SMS can reach it: a landline is kept for calling back, but gets no SMS."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164_phone, None))
    return kind in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def mask_phone(e164_phone: str) -> str:
    """The national number with its middle hidden: 130****1314."""
    number = phonenumbers.parse(e164_phone, None)
    national = str(number.national_number)
    if len(national) <= 7:
        return national[:2] + "*" * (len(national) - 4) + national[-2:]
    return national[:3] + "*" * (len(national) - 7) + national[-4:]


# Seven or more digits, allowing a short separator between them: 13055441314, 130 5544 1314,
# 138-5960-1234, 0596-6123456, 139 - 0596 - 1234, 139/0596/5678. Dates and areas
# (2026-07-01, 120.5平方) stay.
_LONG_NUMBER = re.compile(r"\d(?:[\s\-－—–.·/／_]{0,3}\d){6,}")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}")


def mask_long_numbers(text: str) -> str:
    """Free text fit to show beyond the staff: phone and ID numbers written into it are starred."""
    return _LONG_NUMBER.sub(
        lambda m: m.group() if _DATE.fullmatch(m.group()) else "*" * len(m.group()), text)
