"""One logging configuration for the web app and every command (the outbox worker and the
hourly job run with no server around them), and the security log.

Security-relevant events go to the ``complaints.security`` logger through ``security()``.
They never carry personal data: no names, phone numbers, texts or client addresses. A client
address is logged as ``source``, a short keyed digest, so that one source's repeated attempts
can be followed without the log holding where anyone was.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SECURITY_LOGGER = "complaints.security"
_HANDLER_NAME = "complaints"


def configure_logging(level: str) -> None:
    """Send the project's logs to standard error at ``level``; safe to call for every app."""
    logger = logging.getLogger("complaints")
    logger.setLevel(level)
    if not any(handler.get_name() == _HANDLER_NAME for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)


def source_digest(address: str | None, key: bytes) -> str:
    """A client address as a short keyed digest: the same source, recognisable; not the address."""
    if not address:
        return "-"
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def security(event: str, *, level: int = logging.WARNING, **fields: object) -> None:
    """Log one security event: ``event`` is a fixed phrase, ``fields`` plain facts."""
    facts = " ".join(f"{name}={value}" for name, value in fields.items())
    logging.getLogger(SECURITY_LOGGER).log(level, "%s %s", event, facts)
