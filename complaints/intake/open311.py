"""GeoReport v2 in plain Python: components from the routing table, filing, and public requests.

What the API shows of a case is public: no reporter identity, no internal notes, the
free text with long numbers starred. A misconduct report is not there at all: asked for by
number it answers exactly as a number that was never given, and no list holds it, because
even its times can point at who made it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from complaints.calendar.working_days import WorkingCalendar
from complaints.cases.public import reporter_due
from complaints.core.clock import LOCAL_TZ, deadline_day, to_local
from complaints.core.identity import mask_long_numbers
from complaints.core.limits import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    EMAIL_MAX,
    MEDIA_URL_MAX,
    PHONE_MAX,
    REPORTER_NAME_MAX,
    VILLAGE_MAX,
)
from complaints.core.messages import t
from complaints.core.vocabulary import ANSWERED, Channel, HouseholdType, HouseStructure
from complaints.db.models import Complaint
from complaints.intake.filing import NewComplaint
from complaints.routing.table import FALLBACK_CATEGORY, TOWNSHIP, RoutingTable

MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000
MAX_NUMBERS = 10  # service_request_id values one request may ask for
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999
TRACKING_NUMBER = re.compile(r"[A-Z0-9-]{1,20}")  # YX20261128-0042; anything else finds nothing
NAME_PART_MAX = 20
KEYWORDS_SHOWN = 8


class Open311Error(Exception):
    """An answer in the specification's error format: HTTP status and a description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def missing(name: str) -> Open311Error:
    return Open311Error(400, t("open311.error.missing", name=name))


def invalid(name: str) -> Open311Error:
    return Open311Error(400, t("open311.error.invalid", name=name))


# -- components ---------------------------------------------------------------

def service_list(table: RoutingTable) -> list[dict[str, Any]]:
    components = []
    for category in table.categories:
        rules = category.deadlines
        days = (t("open311.calendar_days", days=rules.resolve_calendar_days)
                if rules.resolve_calendar_days is not None
                else t("open311.working_days", days=rules.resolve_working_days))
        county_led = category.lead != TOWNSHIP
        lead = table.unit(category.lead).name if county_led else t("open311.the_township")
        components.append({
            "service_code": category.slug,
            "service_name": category.name,
            "description": t("open311.service_description", name=category.name, lead=lead,
                             days=days),
            "metadata": True,
            "type": "realtime",
            "keywords": ",".join(category.keywords[:KEYWORDS_SHOWN]),
            "group": t("open311.group_county" if county_led else "open311.group_township"),
        })
    return components


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"key": key, "name": name} for key, name in pairs]


def _attributes(table: RoutingTable) -> list[dict[str, Any]]:
    def attribute(order: int, code: str, datatype: str, values: list[tuple[str, str]] | None,
                  description_key: str) -> dict[str, Any]:
        return {"variable": True, "code": code, "datatype": datatype, "required": False,
                "datatype_description": "", "order": order,
                "description": t(description_key), **({"values": _choices(values)} if values else {})}

    return [
        attribute(1, "township", "singlevaluelist",
                  [(unit.slug, unit.name) for unit in table.townships], "open311.attr_township"),
        attribute(2, "village", "string", None, "open311.attr_village"),
        attribute(3, "house_structure", "singlevaluelist",
                  [(s.value, t(f"structure.{s.value}")) for s in HouseStructure],
                  "open311.attr_house_structure"),
        attribute(4, "household_type", "singlevaluelist",
                  [(h.value, t(f"household.{h.value}")) for h in HouseholdType],
                  "open311.attr_household_type"),
        attribute(5, "misconduct", "singlevaluelist",
                  [("false", t("open311.no")), ("true", t("open311.yes"))], "open311.attr_misconduct"),
    ]


ATTRIBUTE_CODES = ("township", "village", "house_structure", "household_type", "misconduct")


def service_definition(table: RoutingTable, service_code: str) -> dict[str, Any]:
    if service_code not in table.category_slugs:
        raise Open311Error(404, t("open311.error.unknown_service", code=service_code))
    return {"service_code": service_code, "attributes": _attributes(table)}


# -- filing -----------------------------------------------------------------

def _text(form: Mapping[str, str], name: str, limit: int) -> str | None:
    value = (form.get(name) or "").strip()
    if len(value) > limit:
        raise Open311Error(400, t("open311.error.too_long", name=name, limit=limit))
    # NUL and other control characters: PostgreSQL refuses the first, XML all of them.
    if any(ord(c) < 32 and c not in "\n\r\t" or c == "\x7f" for c in value):
        raise invalid(name)
    return value or None


def _coordinate(form: Mapping[str, str], name: str, bound: float) -> float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise invalid(name) from None
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise invalid(name)
    return value


def _choice(form: Mapping[str, str], name: str, allowed: set[str]) -> str | None:
    value = (form.get(f"attribute[{name}]") or "").strip()
    if value and value not in allowed:
        raise invalid(f"attribute[{name}]")
    return value or None


def new_complaint(table: RoutingTable, form: Mapping[str, str], source: str) -> NewComplaint:
    """A POSTed service request as a complaint to file, or the reason it cannot be one."""
    code = (form.get("service_code") or "").strip()
    if not code:
        raise missing("service_code")
    if code not in table.category_slugs:
        raise Open311Error(404, t("open311.error.unknown_service", code=code[:40]))
    for key in form:
        if key.startswith("attribute[") and key[len("attribute["):-1] not in ATTRIBUTE_CODES:
            raise Open311Error(400, t("open311.error.unknown_attribute", code=code,
                                      name=key[len("attribute["):-1][:40]))
    description = _text(form, "description", DESCRIPTION_MAX)
    if description is None:
        raise missing("description")
    latitude = _coordinate(form, "lat", 90)
    longitude = _coordinate(form, "long", 180)
    if (latitude is None) != (longitude is None):
        raise missing("long" if longitude is None else "lat")
    address = _text(form, "address_string", ADDRESS_MAX)
    township = _choice(form, "township", {unit.slug for unit in table.townships})
    if latitude is None and address is None and township is None:
        raise Open311Error(400, t("open311.error.location"))
    village = _text(form, "attribute[village]", VILLAGE_MAX)
    structure = _choice(form, "house_structure", {s.value for s in HouseStructure})
    household = _choice(form, "household_type", {h.value for h in HouseholdType})
    misconduct = _choice(form, "misconduct", {"true", "false"})
    first, last = (_text(form, name, NAME_PART_MAX) for name in ("first_name", "last_name"))
    name = "".join(part for part in (last, first) if part)[:REPORTER_NAME_MAX] or None
    email = _text(form, "email", EMAIL_MAX)
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        raise invalid("email")
    media_url = _text(form, "media_url", MEDIA_URL_MAX)
    if media_url is not None and not media_url.lower().startswith(("http://", "https://")):
        raise invalid("media_url")
    return NewComplaint(
        channel=Channel.API,
        description=description,
        # Without a township attribute: one the address names, else the router reads the text.
        township_slug=township or _township_named_in(table, address or ""),
        village=village,
        address=address,
        latitude=latitude,
        longitude=longitude,
        category=None if code == FALLBACK_CATEGORY else code,
        house_structure=HouseStructure(structure or "unknown"),
        household_type=HouseholdType(household or "unknown"),
        alleges_misconduct=misconduct == "true",
        receipt_by_sms=True,
        reporter_name=name,
        reporter_phone=_text(form, "phone", PHONE_MAX),
        reporter_email=email,
        source=source,
        media_url=media_url,
    )


def _township_named_in(table: RoutingTable, address: str) -> str | None:
    for unit in table.townships:
        if any(word and word in address for word in (unit.name, *unit.aliases)):
            return unit.slug
    return None


def filed_answer(complaint: Complaint, facts: Mapping[str, str | None]) -> list[dict[str, Any]]:
    """The POST answer: the tracking number, and a notice with the query code and the day."""
    key = "open311.notice_triage" if complaint.needs_triage else "open311.notice"
    notice = t(key, number=facts["number"], code=facts["code"], day=facts["deadline"])
    return [{"service_request_id": complaint.tracking_number, "service_notice": notice,
             "account_id": None}]


# -- requests ---------------------------------------------------------------

@dataclass(frozen=True)
class Search:
    numbers: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = MAX_RESULTS


def _moment(value: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid(name) from None
    # Years far out overflow date arithmetic and the database's range: nothing is filed there.
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise invalid(name)
    # A time without a zone is the county's.
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)


def _positive(args: Mapping[str, str], name: str, default: int, largest: int) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= largest:
        raise invalid(name)
    return int(raw)


def parse_search(table: RoutingTable, args: Mapping[str, str], now: datetime) -> Search:
    numbers = tuple(n.strip().upper() for n in (args.get("service_request_id") or "").split(",")
                    if n.strip())
    if len(numbers) > MAX_NUMBERS:
        raise Open311Error(400, t("open311.error.too_many_ids", limit=MAX_NUMBERS))
    if not all(TRACKING_NUMBER.fullmatch(n) for n in numbers):
        raise invalid("service_request_id")
    page = _positive(args, "page", 1, 10**6)
    page_size = _positive(args, "page_size", MAX_RESULTS, MAX_RESULTS)
    if numbers:  # the specification: ids override every other filter
        return Search(numbers=numbers, page=page, page_size=page_size)
    codes = tuple(c.strip() for c in (args.get("service_code") or "").split(",") if c.strip())
    if any(code not in table.category_slugs for code in codes):
        raise invalid("service_code")
    statuses = tuple(s.strip() for s in (args.get("status") or "").split(",") if s.strip())
    if any(status not in ("open", "closed") for status in statuses):
        raise invalid("status")
    start = _moment(args["start_date"], "start_date") if args.get("start_date") else None
    end = _moment(args["end_date"], "end_date") if args.get("end_date") else None
    if start is None:
        end = end if end is not None else now
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if end < start:
        raise invalid("end_date")
    if end - start > MAX_RANGE:
        raise Open311Error(400, t("open311.error.range"))
    return Search((), codes, start, end, statuses, page, page_size)


def search_statement(search: Search) -> Select[Complaint]:
    statement = select(Complaint).options(selectinload(Complaint.events),
                                          selectinload(Complaint.responsible_unit),
                                          selectinload(Complaint.township),
                                          selectinload(Complaint.reporter))
    # Misconduct reports are never public, by number or in a list: their numbers and times
    # could point at who made them. Their reporters follow them with the query code.
    statement = statement.where(Complaint.alleges_misconduct.is_(False))
    if search.numbers:
        statement = statement.where(Complaint.tracking_number.in_(search.numbers))
    else:
        statement = statement.where(Complaint.received_at >= search.start,
                                    Complaint.received_at <= search.end)
        if search.service_codes:
            statement = statement.where(Complaint.category.in_(search.service_codes))
        if set(search.statuses) == {"closed"}:
            statement = statement.where(Complaint.status.in_(ANSWERED))
        elif set(search.statuses) == {"open"}:
            statement = statement.where(Complaint.status.not_in(ANSWERED))
    return (statement.order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .offset((search.page - 1) * search.page_size).limit(search.page_size))


def find_requests(session: Session, search: Search) -> list[Complaint]:
    return list(session.scalars(search_statement(search)))


def find_request(session: Session, number: str) -> Complaint:
    """The public case of ``number``. A misconduct report is missing like a number never
    given, to the byte: the answer does not even repeat the number asked for."""
    number = number.strip().upper()
    found = (find_requests(session, Search(numbers=(number,)))
             if TRACKING_NUMBER.fullmatch(number) else [])
    if not found:
        raise Open311Error(404, t("open311.error.no_such_request"))
    return found[0]


def _w3c(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment else None


def request_record(complaint: Complaint, table: RoutingTable, calendar: WorkingCalendar,
                   reporter_name: str | None = None) -> dict[str, Any]:
    """One case as the public sees it through the API.

    Only a case filed through the API shows its text (starred where it holds long numbers or
    the reporter's name): residents who wrote a form, an SMS or called did not publish theirs.
    The notes are the status in set words, never staff free text. A misconduct report never
    gets here (``search_statement`` leaves it out); should one, it shows its status alone.
    """
    withheld = complaint.alleges_misconduct
    category = complaint.category if complaint.category in table.category_slugs \
        else FALLBACK_CATEGORY
    due = reporter_due(complaint, table.deadlines_for(complaint.category), calendar)
    unit = None if withheld else complaint.responsible_unit
    place = "".join(part for part in (complaint.township.name if complaint.township else "",
                                      complaint.village or "") if part)
    if withheld or complaint.channel is not Channel.API:
        description = t("open311.withheld")
    else:
        description = mask_long_numbers(complaint.description)
        if reporter_name:
            description = description.replace(reporter_name, "*" * len(reporter_name))
    return {
        "service_request_id": complaint.tracking_number,
        "status": "closed" if complaint.status in ANSWERED else "open",
        "status_notes": _status_note(complaint),
        "service_name": table.category(category).name,
        "service_code": category,
        "description": description,
        "agency_responsible": unit.name if unit else table.lead_unit.name,
        "service_notice": (t("open311.notice_due", day=f"{deadline_day(due):%Y-%m-%d}")
                           if due and complaint.status not in ANSWERED else None),
        "requested_datetime": _w3c(complaint.received_at),
        "updated_datetime": _w3c(complaint.updated_at),
        "expected_datetime": _w3c(due),
        "address": None if withheld else (place or None),
        "address_id": None,
        "zipcode": None,
        "media_url": None,
    }


def _status_note(complaint: Complaint) -> str:
    note = t(f"status.{complaint.status.value}")
    if complaint.outcome is not None and complaint.status in ANSWERED:
        note += "：" + t(f"outcome.{complaint.outcome.value}")
    return note
