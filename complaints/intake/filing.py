"""Filing a new complaint: the one operation every channel calls.

Plain Python: the web form, SMS, the hotline console and the API each build a
``NewComplaint`` and call ``file_complaint``, which routes it with the same
engine for every channel. It flushes; the caller commits.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from complaints.calendar.deadlines import refresh_deadlines
from complaints.cases import notify
from complaints.cases.clues import open_from_report
from complaints.cases.events import record_event
from complaints.cases.identities import seal_reporter
from complaints.cases.tools import CaseTools
from complaints.core.clock import now_utc, to_local
from complaints.core.identity import IdentityVault, InvalidPhoneError, normalise_phone
from complaints.core.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    MEDIA_URL_MAX,
    REPORTER_NAME_MAX,
    VILLAGE_MAX,
)
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, HouseholdType, HouseStructure
from complaints.db.models import Attachment, Complaint, DailyCounter, Unit
from complaints.intake.photos import MAX_PHOTOS, MAX_PHOTOS_PER_CASE, CleanPhoto
from complaints.routing.engine import Draft

QUERY_CODE_DIGITS = 6
TRACKING_PREFIX = "YX"


class FilingError(ValueError):
    """The complaint cannot be filed as given; ``field`` says which part is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class NewComplaint:
    channel: Channel
    description: str
    township_slug: str | None = None
    village: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    category: str | None = None  # None: let the routing engine decide from the text
    household_type: HouseholdType = HouseholdType.UNKNOWN
    house_structure: HouseStructure = HouseStructure.UNKNOWN
    alleges_misconduct: bool = False
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None
    photos: tuple[CleanPhoto, ...] = ()
    submission_token: str | None = None
    # Where an API filing came from (the client's name) and what it pointed at; kept in
    # the case's first event for staff, never fetched.
    source: str | None = None
    media_url: str | None = None
    # Text the reporter the receipt (number, query code, unit, expected day). Not for SMS
    # filings, whose reply is the receipt (intake.sms), nor for the demo data.
    receipt_by_sms: bool = False
    # When the channel took it in, if earlier than now: an SMS is filed by the worker after
    # the webhook kept it, and its deadlines and number count from its arrival.
    received_at: datetime | None = None


@dataclass(frozen=True)
class FiledComplaint:
    complaint: Complaint
    # Shown to the reporter once; only its keyed hash is stored.
    query_code: str


def file_complaint(session: Session, tools: CaseTools, new: NewComplaint) -> FiledComplaint:
    vault, router = tools.vault, tools.router
    _check_limits(new)
    if new.township_slug and new.township_slug not in {u.slug for u in router.table.townships}:
        raise FilingError("township", f"unknown township {new.township_slug!r}")
    if new.category and new.category not in router.table.category_slugs:
        raise FilingError("category", f"unknown category {new.category!r}")
    # Everything that can refuse the filing is checked before anything is written: a refused
    # filing takes no tracking number.
    name, email = _clean(new.reporter_name), _clean(new.reporter_email)
    e164 = _reporter_phone(new.reporter_phone)
    decision = router.route(Draft(
        text=new.description, township=new.township_slug, category=new.category,
        household=new.household_type, alleges_misconduct=new.alleges_misconduct,
    ))
    township = (
        session.scalar(select(Unit).where(Unit.slug == decision.township))
        if decision.township else None
    )

    received_at = new.received_at or now_utc()
    tracking_number = next_tracking_number(session, to_local(received_at).date())
    query_code = (code_for_token(vault, new.submission_token) if new.submission_token
                  else "".join(secrets.choice("0123456789") for _ in range(QUERY_CODE_DIGITS)))
    complaint = Complaint(
        tracking_number=tracking_number,
        query_code_hash=query_code_hash(vault, tracking_number, query_code),
        channel=new.channel,
        status=CaseStatus.RECEIVED,
        category=decision.category,
        description=new.description.strip(),
        township=township,
        village=_clean(new.village),
        address=_clean(new.address),
        latitude=new.latitude,
        longitude=new.longitude,
        household_type=decision.household,
        house_structure=new.house_structure,
        alleges_misconduct=decision.discipline_clue,
        routing=decision.as_record(),
        submission_token=new.submission_token,
        needs_triage=decision.needs_triage,
        received_at=received_at,
        status_changed_at=received_at,
        # A new case has no reporter yet: said here, giving it one later asks the database
        # nothing (else the assignment first loads the reporter it would replace).
        reporter=None,
    )
    session.add(complaint)
    if name or e164 or email:
        seal_reporter(session, vault, complaint, name=name, phone=e164, email=email)
    for photo in new.photos:
        complaint.attachments.append(photo_attachment(photo))
    # The first event says where the case came from and why it was routed where it was.
    record_event(
        session, complaint, EventKind.RECEIVED, actor_kind="reporter", to_status=CaseStatus.RECEIVED.value,
        details={"channel": new.channel.value, "routing": decision.as_record(),
                 **({"source": new.source} if new.source else {}),
                 **({"media_url": new.media_url} if new.media_url else {})},
    )
    # An accusation becomes a clue of its own; the case keeps the part about the house.
    open_from_report(session, tools, complaint, decision)
    refresh_deadlines(complaint, router.table.deadlines_for(complaint.category), tools.calendar)
    if e164 and new.receipt_by_sms:
        notify.send_receipt(session, tools, complaint, e164, query_code)
    session.flush()
    return FiledComplaint(complaint, query_code)


def photo_attachment(photo: CleanPhoto) -> Attachment:
    return Attachment(content_type=photo.content_type, byte_size=len(photo.data),
                      sha256=photo.sha256, data=photo.data, created_at=now_utc())


def photos_left(complaint: Complaint) -> int:
    """How many more photos the reporter may add to this case."""
    return max(0, MAX_PHOTOS_PER_CASE - len(complaint.attachments))


def find_by_code(session: Session, vault: IdentityVault, tracking_number: str,
                 query_code: str) -> Complaint | None:
    """The case these two numbers open, or None: a wrong code and an unknown number look alike."""
    tracking_number = tracking_number.strip().upper()
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_number == tracking_number))
    expected = query_code_hash(vault, tracking_number, query_code.strip())
    if complaint is None or not hmac.compare_digest(complaint.query_code_hash, expected):
        return None
    return complaint


def find_by_submission_token(session: Session, token: str | None) -> Complaint | None:
    """The case a form with this one-time token already filed, if any."""
    if not token:
        return None
    return session.scalar(select(Complaint).where(Complaint.submission_token == token[:64]))


def code_for_token(vault: IdentityVault, token: str) -> str:
    """The query code of a web submission, derived from its one-time form token with the
    server's key: a resent form (the first answer lost on a slow line) shows the same code
    again, while the database still holds only the code's hash."""
    digest = vault.lookup_hash(token, "query-code-from-form")
    return f"{int(digest, 16) % 10**QUERY_CODE_DIGITS:0{QUERY_CODE_DIGITS}d}"


def query_code_hash(vault: IdentityVault, tracking_number: str, query_code: str) -> str:
    return vault.lookup_hash(f"{tracking_number}:{query_code}", "query-code")


def next_tracking_number(session: Session, day: date) -> str:
    """YX20261128-0042: the local date and that day's sequence, readable over the phone.

    On PostgreSQL the number is taken in a short transaction of its own, like a sequence: the
    day's counter row is then locked for one statement, not for the whole of every filing
    (which serialised them all). A filing that rolls back leaves a gap in the day's numbers,
    never a number given twice. SQLite has one writer at a time anyway: there it is taken in
    the request's own transaction, gapless."""
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        # One statement that commits itself: no round trip between it and a COMMIT, in which a
        # worker descheduled on a busy machine would hold the day's row from every other filing.
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            number = connection.scalar(
                pg_insert(DailyCounter).values(day=day, last_number=1)
                .on_conflict_do_update(index_elements=[DailyCounter.day],
                                       set_={"last_number": DailyCounter.last_number + 1})
                .returning(DailyCounter.last_number))
    else:
        number = _counted_in_transaction(session, day)
    return f"{TRACKING_PREFIX}{day:%Y%m%d}-{number:04d}"


def _counted_in_transaction(session: Session, day: date) -> int:
    number = session.scalar(
        update(DailyCounter)
        .where(DailyCounter.day == day)
        .values(last_number=DailyCounter.last_number + 1)
        .returning(DailyCounter.last_number)
    )
    if number is None:
        try:
            with session.begin_nested():
                session.execute(insert(DailyCounter).values(day=day, last_number=1))
            number = 1
        except IntegrityError:
            # Another request started the day between our UPDATE and INSERT.
            return _counted_in_transaction(session, day)
    return number


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _reporter_phone(raw: str | None) -> str | None:
    phone = _clean(raw)
    try:
        return normalise_phone(phone) if phone else None
    except InvalidPhoneError:
        raise FilingError("reporter_phone", "not a phone number") from None


def _check_limits(new: NewComplaint) -> None:
    description = new.description.strip()
    if not description:
        raise FilingError("description", "empty")
    for field, value, limit in (
        ("description", description, DESCRIPTION_MAX),
        ("village", new.village, VILLAGE_MAX),
        ("address", new.address, ADDRESS_MAX),
        ("reporter_name", new.reporter_name, REPORTER_NAME_MAX),
        ("reporter_email", new.reporter_email, EMAIL_MAX),
        ("media_url", new.media_url, MEDIA_URL_MAX),
    ):
        if value is not None and len(value.strip()) > limit:
            raise FilingError(field, f"longer than {limit} characters")
    if new.latitude is not None and not -90 <= new.latitude <= 90:
        raise FilingError("latitude", "out of range")
    if new.longitude is not None and not -180 <= new.longitude <= 180:
        raise FilingError("longitude", "out of range")
    if len(new.photos) > MAX_PHOTOS:
        raise FilingError("photos", f"at most {MAX_PHOTOS}")
