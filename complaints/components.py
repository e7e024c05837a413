"""What the app is made of once configured: settings, database, keys, tables, sender.

Built once by ``create_app`` (or by a test) and shared by the web layer, the CLI
and the workers, so each of them gets the same validated pieces.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, inspect, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from complaints.calendar.working_days import WorkingCalendar, load_calendar
from complaints.cases.tools import CaseTools
from complaints.core.config import Settings
from complaints.core.identity import AUDIT_KEYS, IdentityVault, audit_keys
from complaints.core.messages import catalogue
from complaints.db.base import make_engine, make_session_factory
from complaints.db.key_check import check_or_record_key
from complaints.intake.sms import SmsRules, file_waiting
from complaints.intake.spool import Spool
from complaints.outbox.senders import Sender
from complaints.outbox.senders.log import LogOnlySender
from complaints.routing.engine import Router
from complaints.routing.table import RoutingTable, load_routing_table


@dataclass
class Components:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    vault: IdentityVault
    table: RoutingTable
    router: Router
    calendar: WorkingCalendar
    sender: Sender
    key_checked: bool = False

    @property
    def tools(self) -> CaseTools:
        return CaseTools(vault=self.vault, router=self.router, calendar=self.calendar)

    @property
    def spool(self) -> Spool:
        """Where Twilio's webhooks wait while the database is unreachable."""
        return Spool(self.settings.instance_path / "spool")

    def drain_spool(self) -> int:
        """Move what the spool holds into the database, if it answers again."""
        return self.spool.drain(self.session_factory, self.tools)

    def act_on_inbound_sms(self) -> int:
        """Act on the SMS the webhook kept (new complaints, follow-ups, queries) and queue
        the replies; returns how many."""
        return file_waiting(self.session_factory, self.tools, SmsRules(
            follow_up_window=timedelta(minutes=self.settings.sms_follow_up_minutes),
            replies_per_hour=self.settings.sms_replies_per_hour))

    def check_encryption_key(self) -> None:
        """Refuse a key that cannot read this database; a no-op before the first migration
        and once it has passed."""
        if self.key_checked:
            return
        if not inspect(self.engine).has_table("encryption_key_check"):
            return
        with self.session_factory() as session:
            check_or_record_key(session, self.vault)
            try:
                session.commit()
            except IntegrityError:
                # Another worker recorded the key at the same moment: check against theirs.
                session.rollback()
                check_or_record_key(session, self.vault)
        self.key_checked = True


def build_components(settings: Settings) -> Components:
    if settings.is_sqlite:
        settings.instance_path.mkdir(parents=True, exist_ok=True)
        _private_database_file(settings.database_url)
    catalogue()  # parse the message catalogue now, not on the first request
    table = load_routing_table()  # a bad table stops the app here, naming the entry
    engine = make_engine(settings.database_url)
    return Components(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(
            engine, {AUDIT_KEYS: audit_keys(settings.encryption_key)}),
        vault=IdentityVault(settings.encryption_key),
        table=table,
        router=Router(table),
        calendar=load_calendar(),
        sender=make_sender(settings),
    )


def make_sender(settings: Settings) -> Sender:
    if settings.outbox_sender == "twilio":
        from complaints.outbox.senders.twilio import TwilioSender

        # Config has checked that the three Twilio settings are there.
        return TwilioSender(settings.twilio_account_sid or "", settings.twilio_auth_token or "",
                            settings.twilio_phone_number or "", settings.twilio_api_base_url)
    return LogOnlySender()


def _private_database_file(database_url: str) -> None:
    """The SQLite file holds sealed identities and the case record: readable by this user
    only, as the keys are (SQLite gives its -wal and -shm files the same mode)."""
    path = make_url(database_url).database
    if not path or path == ":memory:":
        return
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)
