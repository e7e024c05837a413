"""The roster of poor households (信息共享): lists of newly registered poor households, sent by
the providing units, imported whole or not at all; each new household gets its appraisal task.

A list is a spreadsheet (XLSX) or CSV with the template's Chinese headers (``HEADERS``). Each
bad row is reported by its line with the reason and nothing of the file is kept; the same file
again changes nothing; a household already on the roster (by its ID number's keyed hash) is
matched, not added twice. ID numbers, names and phones are sealed to the household, and shown
masked. Plain Python: the web layer and the CLI call ``import_roster``.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from complaints.calendar.deadlines import end_of_local_day
from complaints.cases.tools import CaseTools
from complaints.core.clock import local_today, now_utc
from complaints.core.identity import InvalidPhoneError, normalise_phone
from complaints.core.limits import ADDRESS_MAX, NOTE_MAX, VILLAGE_MAX
from complaints.core.messages import t
from complaints.core.vocabulary import AppraisalGrade, HouseholdType, HouseStructure, PhotoPurpose
from complaints.db.models import (
    AppraisalTask,
    Complaint,
    Household,
    HouseholdPhoto,
    HouseholdVisit,
    Rectification,
    RosterList,
    Unit,
    User,
)
from complaints.db.models.households import APPRAISER_MAX

# The template's columns, in order: (header, field).
HEADERS = (("户主姓名", "name"), ("身份证号", "id_number"), ("联系电话", "phone"),
           ("乡镇", "township"), ("村", "village"), ("地址", "address"),
           ("户类型", "household_type"), ("房屋结构", "house_structure"))
MAX_ROWS = 5000
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class RosterError(ValueError):
    """The file cannot be read as a list at all (not a spreadsheet, wrong headers)."""


@dataclass(frozen=True)
class RowProblem:
    line: int  # as the spreadsheet numbers it (the header is line 1)
    reason: str


@dataclass
class ImportResult:
    added: int = 0
    matched: int = 0
    already_imported: bool = False
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    id_number: str
    phone: str | None
    township: Unit
    village: str | None
    address: str | None
    household_type: HouseholdType
    house_structure: HouseStructure


def template_xlsx() -> bytes:
    """The list as a providing unit fills it in: the headers, and one example row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("roster.template_sheet")
    sheet.append([header for header, _ in HEADERS])
    sheet.append(["林秀英", "350622195001011234", "13055441314", "火田镇", "菜埔村", "菜埔村 12 号",
                  t("household.registered-poor"), t("structure.earth")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def id_check_character(first17: str) -> str:
    """The 18th character of a mainland resident ID number (GB 11643) from its first 17."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def valid_id_number(value: str) -> bool:
    """A mainland resident ID number: 18 characters ending with its check character."""
    return len(value) == 18 and value[:17].isdigit() and id_check_character(value[:17]) == value[17].upper()


def mask_id_number(value: str) -> str:
    return value[:6] + "*" * 8 + value[-4:]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 January -> 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def import_roster(session: Session, tools: CaseTools, *, data: bytes, filename: str,
                  provider: Unit, received_on: date, actor: User | None) -> ImportResult:
    digest = hashlib.sha256(data).hexdigest()
    if session.scalar(select(RosterList.id).where(RosterList.file_sha256 == digest)):
        return ImportResult(already_imported=True)
    rows, problems = _checked(session, tools, _read(data, filename))
    if problems:
        return ImportResult(problems=problems)
    listed = RosterList(file_sha256=digest, provided_by=provider, received_on=received_on,
                        rows=len(rows), imported_by_user_id=actor.id if actor else None)
    session.add(listed)
    session.flush()
    result = ImportResult()
    due = end_of_local_day(add_months(received_on, tools.table.deadlines.roster_appraisal_months))
    for row in rows:
        hashed = tools.vault.lookup_hash(row.id_number, "id-number")
        if session.scalar(select(Household.id).where(Household.id_number_hash == hashed)):
            result.matched += 1
            continue
        household = Household(
            head_name_sealed=b"", id_number_sealed=b"", id_number_hash=hashed,
            id_number_masked=mask_id_number(row.id_number), township=row.township,
            village=row.village, address=row.address, household_type=row.household_type,
            house_structure=row.house_structure, first_list=listed)
        session.add(household)
        session.flush()
        owner = f"household/{household.id}"
        household.head_name_sealed = tools.vault.seal(row.name, "household-head", owner)
        household.id_number_sealed = tools.vault.seal(row.id_number, "household-id-number", owner)
        if row.phone:
            household.phone_sealed = tools.vault.seal(row.phone, "household-phone", owner)
        session.add(AppraisalTask(household=household, due_at=due))
        result.added += 1
    session.flush()
    return result


def _read(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows as text, header first; a file that is not a list raises RosterError."""
    try:
        if filename.lower().endswith(".csv"):
            text = data.decode("utf-8-sig")
            grid = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
        else:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            grid = [["" if cell is None else str(cell).strip() for cell in row]
                    for row in sheet.iter_rows(values_only=True)]
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError, IndexError) as error:
        raise RosterError(t("roster.error.unreadable")) from error
    if not grid or [cell for cell in grid[0][:len(HEADERS)]] != [header for header, _ in HEADERS]:
        raise RosterError(t("roster.error.headers", headers="、".join(h for h, _ in HEADERS)))
    if len(grid) - 1 > MAX_ROWS:
        raise RosterError(t("roster.error.too_many", most=MAX_ROWS))
    return grid


@dataclass(frozen=True)
class _Choices:
    """What the cells may say: the table's townships (names and aliases), the catalogue's
    household types and structures."""

    townships: dict[str, Unit]
    types: dict[str, HouseholdType]
    structures: dict[str, HouseStructure]


def _checked(session: Session, tools: CaseTools,
             grid: list[list[str]]) -> tuple[list[_Row], list[RowProblem]]:
    slugs = {spec.slug: spec for spec in tools.table.townships}
    townships: dict[str, Unit] = {}
    for unit in session.scalars(select(Unit).where(Unit.slug.in_(slugs))):
        for name in (unit.name, *slugs[unit.slug].aliases):
            townships.setdefault(name, unit)
    choices = _Choices(townships, {t(f"household.{kind.value}"): kind for kind in HouseholdType},
                       {t(f"structure.{kind.value}"): kind for kind in HouseStructure})
    rows: list[_Row] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, cells in enumerate(grid[1:], start=2):
        if not any(cells):
            continue  # a blank line between rows
        value = dict(zip((name for _, name in HEADERS), cells + [""] * len(HEADERS), strict=False))
        row, reasons = _row(line, value, choices, seen)
        if row is None:
            problems.append(RowProblem(line, "；".join(reasons)))
        else:
            rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(2, t("roster.error.empty")))
    return rows, problems


def _row(line: int, value: dict[str, str], choices: _Choices,
         seen: dict[str, int]) -> tuple[_Row | None, list[str]]:
    reasons = []
    id_number = value["id_number"].upper()
    if not value["name"] or len(value["name"]) > 40:
        reasons.append(t("roster.error.name"))
    if not valid_id_number(id_number):
        reasons.append(t("roster.error.id_number"))
    elif id_number in seen:
        reasons.append(t("roster.error.repeated", line=seen[id_number]))
    else:
        seen[id_number] = line
    phone = None
    if value["phone"]:
        try:
            phone = normalise_phone(value["phone"])
        except InvalidPhoneError:
            reasons.append(t("roster.error.phone"))
    township = choices.townships.get(value["township"])
    if township is None:
        reasons.append(t("roster.error.township", value=value["township"]))
    kind = choices.types.get(value["household_type"])
    if kind is None:
        reasons.append(t("roster.error.household_type", value=value["household_type"]))
    structure = choices.structures.get(value["house_structure"])
    if structure is None:
        reasons.append(t("roster.error.house_structure", value=value["house_structure"]))
    if len(value["village"]) > VILLAGE_MAX or len(value["address"]) > ADDRESS_MAX:
        reasons.append(t("roster.error.too_long"))
    if reasons or township is None or kind is None or structure is None:
        return None, reasons
    return _Row(line, value["name"], id_number, phone, township, value["village"] or None,
                value["address"] or None, kind, structure), []


class AppraisalError(ValueError):
    """``code`` names the reason for the message catalogue (roster.appraisal_error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


Photo = tuple[str, bytes]  # content type and bytes, already cleaned by ``intake.photos``


def record_appraisal(session: Session, task: AppraisalTask, *, grade: AppraisalGrade,
                     appraised_on: date, appraiser: str,
                     photos: tuple[Photo, ...] = ()) -> Rectification | None:
    """The appraisal's result; a house graded C or D is rectified at once: its task opens now."""
    appraiser = appraiser.strip()
    if task.done_at is not None:
        raise AppraisalError("done")
    if appraised_on > local_today() or not appraiser or len(appraiser) > APPRAISER_MAX:
        raise AppraisalError("fields")
    task.grade, task.appraised_on, task.appraiser, task.done_at = grade, appraised_on, appraiser, now_utc()
    for content_type, data in photos:
        add_photo(session, task.household, PhotoPurpose.APPRAISAL, content_type, data)
    if grade not in (AppraisalGrade.C, AppraisalGrade.D):
        return None
    rectification = Rectification(household=task.household, rebuild=grade is AppraisalGrade.D)
    session.add(rectification)
    session.flush()
    return rectification


def record_rectification(session: Session, rectification: Rectification, *, progress: str | None,
                         done: bool, plate_posted_on: date | None, photos: tuple[Photo, ...] = ()) -> None:
    """Progress on a rectification, its end, and the plate posted once the house is safe; the
    photos show the work, or the plate when this posts it."""
    if progress is not None:
        rectification.progress = progress.strip()[:NOTE_MAX] or rectification.progress
    if done and rectification.done_at is None:
        rectification.done_at = now_utc()
    if plate_posted_on is not None:
        if rectification.done_at is None or plate_posted_on > local_today():
            raise AppraisalError("plate")
        rectification.plate_posted_on = plate_posted_on
    purpose = PhotoPurpose.PLATE if plate_posted_on is not None else PhotoPurpose.RECTIFICATION
    for content_type, data in photos:
        add_photo(session, rectification.household, purpose, content_type, data)


def suggested_households(session: Session, complaint: Complaint, most: int = 5) -> list[Household]:
    """Roster entries a complaint may be about: its township (and village, when it names one);
    those whose ID number's last four digits the text contains first. The lead unit confirms."""
    if complaint.township_id is None:
        return []
    query = select(Household).where(Household.township_id == complaint.township_id)
    if complaint.village:
        query = query.where(Household.village == complaint.village)
    candidates = session.scalars(query.order_by(Household.id).limit(200)).all()
    text = complaint.description
    candidates = sorted(candidates, key=lambda h: h.id_number_masked[-4:] not in text)
    return list(candidates[:most])


def household_history(session: Session, household: Household) -> list[Complaint]:
    """Every complaint linked to the household, oldest first."""
    return list(session.scalars(select(Complaint).where(Complaint.household_id == household.id)
                                .order_by(Complaint.received_at)))


def late_appraisals(session: Session, now: datetime, most: int) -> list[AppraisalTask]:
    """Appraisals past their month and not done, the longest late first (the board)."""
    return list(session.scalars(
        select(AppraisalTask).where(AppraisalTask.done_at.is_(None), AppraisalTask.due_at <= now)
        .options(selectinload(AppraisalTask.household).selectinload(Household.township))
        .order_by(AppraisalTask.due_at).limit(most)))


def escalate_late_appraisals(session: Session, now: datetime) -> int:
    """Appraisals past their month, marked once for the lead unit's board (the hourly job)."""
    late = session.scalars(select(AppraisalTask).where(
        AppraisalTask.done_at.is_(None), AppraisalTask.due_at <= now,
        AppraisalTask.escalated_at.is_(None))).all()
    for task in late:
        task.escalated_at = now
    return len(late)


def add_photo(session: Session, household: Household, purpose: PhotoPurpose, content_type: str,
              data: bytes, visit: HouseholdVisit | None = None) -> HouseholdPhoto:
    """A photo already cleaned by ``intake.photos`` (re-encoded, no location data)."""
    photo = HouseholdPhoto(household_id=household.id, purpose=purpose,
                           visit_id=visit.id if visit else None,
                           content_type=content_type, byte_size=len(data),
                           sha256=hashlib.sha256(data).hexdigest(), data=data, created_at=now_utc())
    session.add(photo)
    return photo

