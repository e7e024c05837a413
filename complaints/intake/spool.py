"""A durable local spool for what Twilio sends while the database cannot be reached.

Twilio does not retry a failed SMS or recording webhook, so a message that arrives during a
database outage would be lost. The webhook instead keeps the (already signature-checked)
request in a file here, sealed with the identity key because it holds phone numbers, answers
the sender, and ``drain`` moves each kept request into the database exactly once when it is
back (an SMS to wait with the others, a voicemail to the operators' queue): both are kept
once by Twilio's id, and a file is removed only after its transaction committed. The outbox
worker drains the spool on every round, before it acts on the waiting SMS.

A file is written to a temporary name, flushed to disk and renamed, so a crash leaves either
a whole request or none. Plain Python, no Flask.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc
from complaints.db.models import CallLog
from complaints.intake.calls import record_voicemail
from complaints.intake.sms import Inbound, accept_inbound

SMS, RECORDING = "sms", "recording"
PURPOSE = "spooled-webhook"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Spool:
    directory: Path

    def keep(self, tools: CaseTools, kind: str, fields: Mapping[str, str]) -> Path:
        """Keep one request durably; returns its file."""
        if kind not in (SMS, RECORDING):
            raise ValueError(kind)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = json.dumps({"kind": kind, "fields": dict(fields),
                              "kept_at": now_utc().isoformat()}, ensure_ascii=False)
        sealed = tools.vault.seal(payload, PURPOSE)
        # Named by the time kept, so that drain files them in the order they came.
        name = f"{now_utc():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"
        temporary = self.directory / f".{name}.tmp"
        with open(temporary, "wb") as file:
            file.write(sealed)
            file.flush()
            os.fsync(file.fileno())
        final = self.directory / f"{name}.spool"
        os.replace(temporary, final)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return final

    def pending(self) -> list[Path]:
        if not self.directory.exists():
            return []
        return sorted(self.directory.glob("*.spool"))

    def drain(self, session_factory: sessionmaker[Session], tools: CaseTools) -> int:
        """File every kept request; stop at the first the database refuses (still down).
        Returns how many were filed."""
        filed = 0
        for path in self.pending():
            try:
                kept = json.loads(tools.vault.open(path.read_bytes(), PURPOSE))
                with session_factory() as session:
                    _FILERS[kept["kind"]](session, tools, kept["fields"],
                                          datetime.fromisoformat(kept["kept_at"]))
                    session.commit()
            except (OperationalError, InterfaceError):
                _log.warning("spool: database still unreachable, %d request(s) wait",
                             len(self.pending()))
                return filed
            except Exception:
                # One request that cannot be filed must not hold up the others, nor be lost:
                # it is set aside for a person to look at.
                _log.exception("spool: %s could not be filed; kept in failed/", path.name)
                (self.directory / "failed").mkdir(exist_ok=True, mode=0o700)
                os.replace(path, self.directory / "failed" / path.name)
                continue
            path.unlink()
            filed += 1
        if filed:
            _log.info("spool: filed %d kept request(s)", filed)
        return filed


def _file_sms(session: Session, tools: CaseTools, fields: Mapping[str, str],
              kept_at: datetime) -> None:
    # Kept like any other, as of when it came (a second copy is kept once); the outbox worker
    # acts on it and answers by SMS, as it does for every message.
    accept_inbound(session, tools.vault, inbound_of(fields), received_at=kept_at)


def _file_recording(session: Session, tools: CaseTools, fields: Mapping[str, str],
                    _kept_at: datetime) -> None:
    sid = fields.get("RecordingSid", "")
    if session.scalar(select(CallLog.id).where(CallLog.recording_sid == sid)):
        return
    duration = fields.get("RecordingDuration", "")
    record_voicemail(session, tools.vault, recording_sid=sid, caller=fields.get("From", ""),
                     recording_url=fields.get("RecordingUrl", ""),
                     duration=int(duration) if duration.isdigit() else None)


_FILERS: dict[str, Callable[[Session, CaseTools, Mapping[str, str], datetime], None]] = {
    SMS: _file_sms, RECORDING: _file_recording,
}

MAX_MEDIA = 10


def inbound_of(fields: Mapping[str, str]) -> Inbound:
    """Twilio's SMS webhook fields as the message the SMS channel handles."""
    count = fields.get("NumMedia", "0") or "0"
    media_count = min(int(count), MAX_MEDIA) if count.isdigit() else 0
    return Inbound(
        message_sid=fields.get("MessageSid", ""), from_number=fields.get("From", ""),
        to_number=fields.get("To", ""), body=fields.get("Body", ""),
        media_urls=tuple(fields[f"MediaUrl{n}"] for n in range(media_count)
                         if fields.get(f"MediaUrl{n}")),
    )
