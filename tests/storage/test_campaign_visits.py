"""The campaign's follow-up visits and helpers' reports (issue 17, 跟踪回访 and 动态监测): a
quarter's visits come from the roster, one turns into a case; a helper's report goes straight
to the household's township with the poverty office beside it."""

from datetime import date

import pytest
from sqlalchemy import func, select

from complaints.core.vocabulary import CaseStatus, Channel, EventKind, Role, VisitResult
from complaints.db.models import CaseEvent, Household, HouseholdPhoto, HouseholdVisit, Rectification
from complaints.households.helpers import HelperError, assign_helper, households_of
from complaints.households.visits import plan_visits, quarter_last_day, township_progress, visits_query
from complaints.intake.field_reports import file_helper_report, record_visit_result
from complaints.intake.photos import CleanPhoto
from tests.storage.test_roster import CHEN, LIN, WU, imported, row, xlsx

PNG = CleanPhoto("image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)


@pytest.fixture
def roster(db, tools):
    from complaints.db.models import Unit
    provider = db.scalar(select(Unit).where(Unit.slug == "poverty-office"))
    imported(db, tools, xlsx([row("林秀英", LIN, structure="土坯"),
                              row("陈阿土", CHEN, township="马铺乡", household="低保户", structure="砖木"),
                              row("吴大妈", WU, structure="砖混")]), provider,
             received_on=date(2026, 10, 8))
    return {h.id_number_masked[-4:]: h for h in db.scalars(select(Household))}


def household(roster, id_number):
    return roster[id_number[-4:]]


def test_the_quarter_ends_on_its_last_day():
    assert quarter_last_day(date(2026, 11, 30)) == date(2026, 12, 31)
    assert quarter_last_day(date(2027, 2, 1)) == date(2027, 3, 31)


def test_a_quarters_visits_come_from_the_roster_once(db, tools, roster):
    rebuilt = household(roster, CHEN)
    assert plan_visits(db, tools, date(2026, 11, 30)) == 2  # not the brick-and-concrete house
    assert plan_visits(db, tools, date(2026, 12, 2)) == 0   # the same quarter: nothing more
    visits = db.scalars(select(HouseholdVisit)).all()
    assert {v.household_id for v in visits} == {household(roster, LIN).id, rebuilt.id}
    assert {v.township.slug for v in visits} == {"huotian", "mapu"}
    assert {v.quarter for v in visits} == {"2026Q4"}
    # Rebuilt after appraisal: no longer an old house to visit next quarter.
    db.add(Rectification(household=rebuilt, rebuild=True, done_at=visits[0].created_at))
    db.flush()
    assert plan_visits(db, tools, date(2027, 1, 5)) == 1


def test_a_visit_that_finds_a_hazard_becomes_a_case_about_the_household(db, tools, roster, make_user):
    township_staff = make_user("l-huotian", Role.LIAISON, "huotian")
    plan_visits(db, tools, date(2026, 11, 30))
    lin = household(roster, LIN)
    visit = db.scalar(select(HouseholdVisit).where(HouseholdVisit.household_id == lin.id))
    complaint = record_visit_result(db, tools, visit, result=VisitResult.HAZARD, actor=township_staff,
                                    note="后墙新出现一条大裂缝，屋顶漏雨", photos=(PNG,))
    db.commit()
    assert complaint is not None and visit.complaint_id == complaint.id and visit.done_at is not None
    assert complaint.channel is Channel.VISIT and complaint.household_id == lin.id
    assert complaint.township.slug == "huotian" and complaint.status is CaseStatus.RECEIVED
    assert complaint.category == "dangerous-house"  # routed like any other, from the note
    assert len(complaint.attachments) == 1
    assert db.scalar(select(func.count()).select_from(HouseholdPhoto)
                     .where(HouseholdPhoto.visit_id == visit.id)) == 1
    kinds = [e.action for e in db.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id))]
    assert kinds == [EventKind.RECEIVED, EventKind.HOUSEHOLD_LINKED]
    assert [(p.township.slug, p.done, p.due) for p in township_progress(db, "2026Q4")] == [
        ("huotian", 1, 1), ("mapu", 0, 1)]


def test_a_safe_visit_files_nothing_and_the_list_puts_what_is_left_first(db, tools, roster, make_user):
    township_staff = make_user("l-mapu", Role.LIAISON, "mapu")
    plan_visits(db, tools, date(2026, 11, 30))
    chen = household(roster, CHEN)
    visit = db.scalar(select(HouseholdVisit).where(HouseholdVisit.household_id == chen.id))
    assert record_visit_result(db, tools, visit, result=VisitResult.SAFE, note="房屋正常",
                               actor=township_staff) is None
    order = [v.household_id for v in db.scalars(visits_query("2026Q4"))]
    assert order == [household(roster, LIN).id, chen.id]


def test_a_helpers_report_goes_straight_to_the_township(db, tools, roster, make_user):
    helper = make_user("helper-lin", Role.HELPER, "huotian")
    stranger = make_user("helper-mapu", Role.HELPER, "mapu")
    lin, chen = household(roster, LIN), household(roster, CHEN)
    assign_helper(db, lin, helper)
    with pytest.raises(HelperError):
        assign_helper(db, lin, stranger)  # a helper of another township
    assert households_of(db, helper) == [lin]
    with pytest.raises(HelperError):
        file_helper_report(db, tools, helper, chen, problem="leaks", note="")  # not theirs
    filed = file_helper_report(db, tools, helper, lin, problem="still-living",
                               note="新房盖好了，老人晚上还睡在老土坯房", photos=(PNG,))
    db.commit()
    case = filed.complaint
    assert case.channel is Channel.HELPER and case.household_id == lin.id
    assert case.status is CaseStatus.ASSIGNED and case.responsible_unit.slug == "huotian"
    assert case.category == "still-living-in-danger"
    assert {u.slug for u in case.co_units} == {"poverty-office", "housing"}
    assert case.description.startswith("还住在老危房里")


def test_a_helpers_report_that_accuses_the_township_never_reaches_it(db, tools, roster, make_user):
    helper = make_user("helper-lin", Role.HELPER, "huotian")
    lin = household(roster, LIN)
    assign_helper(db, lin, helper)
    filed = file_helper_report(db, tools, helper, lin, problem="still-living",
                               note="镇里的干部收了钱才把她列进改造名单，新房到现在没盖")
    db.commit()
    case = filed.complaint
    assert case.clues and case.clues[0].accused_unit.slug == "huotian"
    assert case.status is CaseStatus.RECEIVED and case.responsible_unit is None  # the lead unit's queue
    assert "huotian" not in {unit.slug for unit in case.co_units}


def test_a_helpers_report_never_names_an_accused_unit_as_co_unit(db, tools, roster, make_user):
    helper = make_user("helper-lin", Role.HELPER, "huotian")
    lin = household(roster, LIN)
    assign_helper(db, lin, helper)
    filed = file_helper_report(db, tools, helper, lin, problem="cracks",
                               note="扶贫办的干部收了好处费才给评贫困户，墙已经裂开")
    db.commit()
    case = filed.complaint
    assert case.clues and case.clues[0].accused_unit.slug == "poverty-office"
    assert case.responsible_unit.slug == "huotian"  # still straight to the township
    assert "poverty-office" not in {unit.slug for unit in case.co_units}
