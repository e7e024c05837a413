"""Handling rules as the 2022 信访工作条例 and the 12345 practice set them (issue 16), as the
lead unit, a unit and a reporter meet them, with the clock frozen."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from complaints.cases.public import public_timeline
from complaints.cases.queries import CaseFilter, page_of_cases
from complaints.cases.rules import Relation, TransitionError
from complaints.core.clock import deadline_day, frozen_at
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, Outcome, ReviewDecision, Role
from complaints.db.models import OutboxMessage
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.files.common import sections
from complaints.reports.quarterly import Quarter, quarterly_report
from tests.conftest import csrf_token_from, log_in

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Yunxiao
REPORTER = frozenset({Relation.REPORTER})


@pytest.fixture
def people(make_user):
    return {"lead": make_user("lead1", Role.LEAD, "housing"),
            "huotian": make_user("l-huotian", Role.LIAISON, "huotian"),
            "mapu": make_user("l-mapu", Role.LIAISON, "mapu")}


@pytest.fixture
def dispatched(db, tools, people, act):
    """An appraisal case (30 calendar days to resolve) accepted and given to 火田镇 on MONDAY."""
    def make(category="appraisal-overdue", unit="huotian"):
        with frozen_at(MONDAY):
            complaint = file_complaint(db, tools, NewComplaint(
                channel=Channel.WEB, description="我是火田镇的，新评上的贫困户，房子一直没人来鉴定",
                category=category, reporter_phone="13055441314")).complaint
            act(complaint, EventKind.ACCEPT, people["lead"])
            act(complaint, EventKind.ASSIGN, people["lead"], unit=unit)
        return complaint
    return make


def extend(act, people, complaint, days, reason="需等待鉴定机构出具报告"):
    act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=days, reason=reason)
    act(complaint, EventKind.GRANT_EXTENSION, people["lead"])


def test_extensions_add_at_most_thirty_days_in_all(people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 20)
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=11, reason="还要等")
        assert raised.value.code == "extension-days" and "1 到 10 天" in raised.value.message
        extend(act, people, complaint, 10)
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.REQUEST_EXTENSION, people["huotian"], days=1, reason="再等等")
        assert raised.value.code == "extension-used-up"
    assert complaint.extension_days_granted == 30


def test_a_transfer_after_extensions_never_passes_sixty_days_and_the_extensions(
        people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 30)
    # 50 days after acceptance the lead unit moves the case: the new unit's 30 days would run
    # to day 80; the cap is day 60 plus the 30 days granted.
    with frozen_at(MONDAY + timedelta(days=50)):
        act(complaint, EventKind.TRANSFER, people["lead"], unit="mapu", reason="属于马铺乡")
    accepted_day_end = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert complaint.resolve_due_at == accepted_day_end + timedelta(days=60 + 30)


def test_the_reporter_is_told_of_an_extension_and_why(db, tools, people, act, dispatched, vault):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=1)):
        extend(act, people, complaint, 15, reason="需等待县鉴定站排期")
    bodies = [vault.open(row.body_sealed, "outbox-body") for row in db.scalars(select(OutboxMessage))]
    [told] = [body for body in bodies if "办理期限延长" in body]
    due = f"{deadline_day(complaint.resolve_due_at):%Y-%m-%d}"  # 30 days + 15 from 23 November
    assert due == "2027-01-07"
    assert complaint.tracking_number in told and "需等待县鉴定站排期" in told and due in told
    timeline = [entry.text for entry in public_timeline(complaint, tools.table)]
    assert f"办理期限延长 15 天，至 {due}。原因：需等待县鉴定站排期" in timeline


def test_a_reopened_case_starts_a_new_round_and_is_not_late_at_dispatch(people, act, dispatched):
    complaint = dispatched()
    with frozen_at(MONDAY + timedelta(days=2)):
        extend(act, people, complaint, 30)
        act(complaint, EventKind.START, people["huotian"])
    with frozen_at(MONDAY + timedelta(days=50)):
        act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    # Seventy days after acceptance the reporter says it was not fixed; the review orders it
    # handled again 75 days after acceptance, past the first round's cap.
    with frozen_at(MONDAY + timedelta(days=70)):
        act(complaint, EventKind.REPORTER_FEEDBACK, who=REPORTER, fixed=False, satisfaction=1)
        act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="没有修好")
    now = MONDAY + timedelta(days=75)
    with frozen_at(now):
        act(complaint, EventKind.DECIDE_REVIEW, people["lead"], decision=ReviewDecision.REDO,
            reason="经复查确未修好，责令重新办理")
        assert complaint.status is CaseStatus.REOPENED
        act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
        assert complaint.resolve_due_at > now + timedelta(days=25)  # a full round, not overdue
        assert complaint.extension_days_granted == 0  # and its own extensions


def test_a_unit_objects_and_only_the_lead_units_agreement_sends_the_case_back(
        people, act, dispatched):
    complaint = dispatched(category="dangerous-house")
    with frozen_at(MONDAY + timedelta(hours=2)):
        with pytest.raises(TransitionError):  # a unit cannot send it back by itself
            act(complaint, EventKind.RETURN, people["huotian"])
        act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="房屋在马铺乡境内")
        assert complaint.status is CaseStatus.ASSIGNED and complaint.objection_pending_since
        with pytest.raises(TransitionError) as raised:  # one objection at a time
            act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="再说一次")
        assert raised.value.code == "not-applicable.object-to-dispatch"
        act(complaint, EventKind.REFUSE_OBJECTION, people["lead"], reason="经核实房屋在火田镇")
    assert complaint.status is CaseStatus.ASSIGNED and complaint.responsible_unit.slug == "huotian"
    assert complaint.objection_pending_since is None
    with frozen_at(MONDAY + timedelta(hours=3)):
        act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="有新证据：村界图")
        act(complaint, EventKind.RETURN, people["lead"])
    assert complaint.status is CaseStatus.RETURNED and complaint.responsible_unit is None


def test_an_objection_comes_within_five_working_days_of_dispatch(db, tools, people, act):
    """Dispatched on 29 September: 30 September, 8, 9, 10 (a make-up working Saturday) and
    12 October are its five working days; the National Day holiday does not count."""
    dispatched_at = datetime(2026, 9, 29, 2, 0, tzinfo=UTC)
    made = []
    for _ in range(2):
        with frozen_at(dispatched_at):
            complaint = file_complaint(db, tools, NewComplaint(
                channel=Channel.WEB, description="火田镇的房子墙裂了", township_slug="huotian",
                category="dangerous-house")).complaint
            act(complaint, EventKind.ACCEPT, people["lead"])
            act(complaint, EventKind.ASSIGN, people["lead"], unit="huotian")
        made.append(complaint)
    with frozen_at(datetime(2026, 10, 12, 9, 0, tzinfo=UTC)):  # 17:00 on the fifth day
        act(made[0], EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="不属本镇")
    with frozen_at(datetime(2026, 10, 13, 2, 0, tzinfo=UTC)), pytest.raises(TransitionError) as raised:
        act(made[1], EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="不属本镇")
    assert raised.value.code == "objection-late" and "5 个工作日" in raised.value.message


def test_the_quarter_counts_returns_and_refused_objections_per_unit(db, tools, people, act,
                                                                    dispatched):
    kept, returned = dispatched(category="dangerous-house"), dispatched(category="dangerous-house")
    with frozen_at(MONDAY + timedelta(hours=2)):
        for complaint in (kept, returned):
            act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="不属本镇")
        act(kept, EventKind.REFUSE_OBJECTION, people["lead"], reason="属本镇")
        act(returned, EventKind.RETURN, people["lead"])
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q4"), MONDAY + timedelta(days=40))
    [row] = [row for row in report.rows if row.unit == "huotian"]
    assert (row.returned, row.objections_refused) == (1, 1)
    assert (report.total.returned, report.total.objections_refused) == (1, 1)


def test_the_lead_unit_sees_objections_waiting_on_its_board(client, people, act, dispatched):
    complaint = dispatched(category="dangerous-house")
    with frozen_at(MONDAY + timedelta(hours=2)):
        act(complaint, EventKind.OBJECT_TO_DISPATCH, people["huotian"], reason="不属本镇")
    log_in(client, "lead1")
    board = client.get("/staff/board").get_data(as_text=True)
    section = board[board.index("派单异议（待审核）"):]
    assert complaint.tracking_number in section[:2000]
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "同意退单，退回牵头单位" in page and "不同意派单异议" in page


def resolved_case(people, act, dispatched, unit="huotian", when=MONDAY + timedelta(days=3)):
    complaint = dispatched(category="dangerous-house", unit=unit)
    with frozen_at(when):
        handler = people["lead"] if unit == "housing" else people[unit]
        act(complaint, EventKind.START, handler)
        act(complaint, EventKind.RESOLVE, handler, outcome=Outcome.RECTIFIED, reason="已加固")
    return complaint


def test_a_review_then_a_re_review_each_in_its_window_and_then_no_more(tools, people, act,
                                                                      dispatched):
    complaint = resolved_case(people, act, dispatched)
    answered = complaint.resolved_at
    with frozen_at(answered + timedelta(days=29)):
        asked = act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="墙还在裂")
    assert asked.details["stage"] == "review" and asked.details["level"] == "lead-unit"
    # Asked on 25 December: decided by the end of 24 January.
    assert complaint.review_due_at == datetime(2027, 1, 24, 16, 0, tzinfo=UTC)
    with frozen_at(answered + timedelta(days=40)):
        act(complaint, EventKind.DECIDE_REVIEW, people["lead"], decision=ReviewDecision.UPHELD,
            reason="经现场复查，加固符合要求")
    assert complaint.status is CaseStatus.CLOSED and complaint.review_pending_since is None
    decided = complaint.review_decided_at
    # The re-review's window counts from the decision.
    with frozen_at(decided + timedelta(days=31)), pytest.raises(TransitionError) as raised:
        act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="不服复查意见")
    assert raised.value.code == "review-late" and "复核" in raised.value.message
    with frozen_at(decided + timedelta(days=10)):
        asked = act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="不服复查意见")
        assert asked.details["stage"] == "re-review" and asked.details["level"] == "county"
        act(complaint, EventKind.DECIDE_REVIEW, people["lead"], decision=ReviewDecision.UPHELD,
            reason="县政府复核：维持")
        with pytest.raises(TransitionError) as raised:  # the same facts are not taken up again
            act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="还是不服")
    assert raised.value.code == "not-applicable.request-review"
    timeline = [entry.text for entry in public_timeline(complaint, tools.table)]
    assert "您对办理结果不满意，已申请复查，由县住建局在 2027-01-24 前作出意见" in timeline
    assert "复核意见：维持原办理结果。县政府复核：维持" in timeline


def test_a_review_of_the_lead_units_own_answer_goes_to_the_county(people, act, dispatched):
    complaint = resolved_case(people, act, dispatched, unit="housing")
    asked = act(complaint, EventKind.REQUEST_REVIEW, people["lead"], reason="举报人电话表示不满意")
    assert asked.details["level"] == "county"


def test_a_reporter_no_longer_reopens_a_case_by_itself(people, act, dispatched):
    complaint = resolved_case(people, act, dispatched)
    with pytest.raises(TransitionError):
        act(complaint, EventKind.REOPEN, who=REPORTER, reason="重新办")


def test_reviews_wait_on_the_lead_units_board(client, people, act, dispatched):
    complaint = resolved_case(people, act, dispatched)
    act(complaint, EventKind.REQUEST_REVIEW, who=REPORTER, reason="墙还在裂")
    log_in(client, "lead1")
    board = client.get("/staff/board").get_data(as_text=True)
    assert complaint.tracking_number in board[board.index("复查、复核申请"):][:2000]
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "作出复查或复核意见" in page and "责令重新办理" in page


def test_a_unit_keeps_a_read_only_view_of_what_it_handed_on(db, client, people, act, dispatched):
    complaint = dispatched(category="dangerous-house")
    with frozen_at(MONDAY + timedelta(hours=2)):
        act(complaint, EventKind.TRANSFER, people["lead"], unit="mapu", reason="房屋在马铺乡")
    log_in(client, "l-huotian")
    listed = client.get("/staff/cases").get_data(as_text=True)
    assert complaint.tracking_number in listed
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "可以进行的操作" not in page  # nothing it may do
    token = csrf_token_from(page)
    refused = client.post(f"/staff/cases/{complaint.tracking_number}/act",
                          data={"csrf_token": token, "action": "start"})
    assert refused.status_code in (403, 409) and complaint.responsible_unit.slug == "mapu"


def test_a_transfer_asked_for_is_not_shown_as_done(people, act, dispatched, client):
    complaint = dispatched(category="dangerous-house")
    act(complaint, EventKind.REQUEST_TRANSFER, people["huotian"], unit="mapu", reason="在马铺乡")
    log_in(client, "l-huotian")
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "申请移送中（待牵头单位审核）" in page


def test_the_lead_unit_supervises_a_case_by_hand_with_its_own_due_date(
        db, client, people, act, dispatched, vault):
    supervised, other = dispatched(category="leaks-drafts"), dispatched(category="dangerous-house")
    people["huotian"].phone = "13900000001"
    db.commit()
    with frozen_at(MONDAY + timedelta(hours=3)):
        with pytest.raises(TransitionError) as raised:  # a note and a date, not in the past
            act(supervised, EventKind.SUPERVISE, people["lead"], reason="群众反映强烈",
                due_on=date(2026, 11, 20))
        assert raised.value.code == "supervision-due"
        db.rollback()
        act(supervised, EventKind.SUPERVISE, people["lead"], reason="群众反映强烈，请优先处理",
            due_on=date(2026, 11, 25))
        with pytest.raises(TransitionError):  # the lead unit's, not a unit's
            act(other, EventKind.SUPERVISE, people["huotian"], reason="x", due_on=date(2026, 11, 25))
    # The unit's deadline is now the lead unit's day, which is earlier than its own.
    assert supervised.deadline_at == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    bodies = [vault.open(row.body_sealed, "outbox-body") for row in db.scalars(select(OutboxMessage))]
    assert any("牵头单位要求案件" in body and supervised.tracking_number in body for body in bodies)
    db.commit()  # (SQLite: the test's reads end before the app writes)
    log_in(client, "l-huotian")
    listed = client.get("/staff/cases").get_data(as_text=True)
    assert listed.index(supervised.tracking_number) < listed.index(other.tracking_number)
    with frozen_at(MONDAY + timedelta(hours=4)):
        act(supervised, EventKind.START, people["huotian"])
        act(supervised, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    assert supervised.supervision_due_at is None


def test_a_units_list_puts_supervised_cases_first_then_the_soonest_deadline_and_undated_last(
        db, people, act, dispatched):
    """The order a liaison works in, page after page, as the list index reads it."""
    cases = [dispatched() for _ in range(6)]
    late, soon, undated, supervised, same_day_older, same_day_newer = cases
    soon.deadline_at = MONDAY + timedelta(days=3)
    late.deadline_at = MONDAY + timedelta(days=20)
    undated.deadline_at = None
    same_day_older.deadline_at = same_day_newer.deadline_at = MONDAY + timedelta(days=10)
    with frozen_at(MONDAY + timedelta(hours=3)):
        act(supervised, EventKind.SUPERVISE, people["lead"], reason="群众反映强烈，请优先处理",
            due_on=date(2026, 12, 10))
    db.commit()
    expected = [supervised, soon, same_day_newer, same_day_older, late, undated]
    now = MONDAY + timedelta(hours=4)
    for page_size in (50, 4):  # one page, and the same order across two
        listed = []
        for number in (1, 2):
            page = page_of_cases(db, people["huotian"], CaseFilter(page=number), now,
                                 now + timedelta(days=3), page_size=page_size)
            listed += [case.tracking_number for case in page.cases]
        assert listed[:6] == [case.tracking_number for case in expected]
        assert page.total == 6


def test_the_12345_figures_on_hand_built_cases(db, tools, people, act, dispatched):
    """Four cases at 火田镇: A on time, "solved", 满意; B on time, "not solved", 不太满意; C late
    and never answered; D still being handled."""
    a, b, c, d = (dispatched(category="dangerous-house") for _ in range(4))  # 5 working days
    with frozen_at(MONDAY + timedelta(days=1)):
        for complaint in (a, b, c, d):
            act(complaint, EventKind.START, people["huotian"])
        for complaint in (a, b):
            act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
        act(a, EventKind.REPORTER_FEEDBACK, who=REPORTER, fixed=True, satisfaction=5)
        act(b, EventKind.REPORTER_FEEDBACK, who=REPORTER, fixed=False, satisfaction=2)
    with frozen_at(MONDAY + timedelta(days=20)):
        act(c, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q4"), MONDAY + timedelta(days=40))
    [row] = [row for row in report.rows if row.unit == "huotian"]
    assert (row.resolution_rate, row.on_time_rate) == (3 / 4, 2 / 3)
    assert (row.follow_up_rate, row.satisfaction_rate) == (2 / 3, 1 / 2)
    [rates] = [section for section in sections(report) if section.sheet == "办结率与满意率"]
    [cells] = [line for line in rates.rows if line[0] == "火田镇"]
    assert cells == ["火田镇", "75.0%", "66.7%", "66.7%", "2/3", "50.0%", "1/2"]
    assert any(note.startswith("满意率 =（评价为“满意”和“基本满意”的人次）") for note in rates.notes)


def test_operators_call_back_reporters_who_did_not_answer(db, client, people, act, dispatched,
                                                          make_user):
    make_user("op1", Role.OPERATOR)
    silent, answered = resolved_case(people, act, dispatched), resolved_case(people, act, dispatched)
    with frozen_at(MONDAY + timedelta(days=3, hours=1)):
        act(answered, EventKind.REPORTER_FEEDBACK, who=REPORTER, fixed=True, satisfaction=5)
    # Answered on Thursday 26 November; its three working days end with 1 December.
    with frozen_at(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)):
        log_in(client, "op1")
        assert silent.tracking_number not in client.get("/staff/calls/callbacks").get_data(as_text=True)
    with frozen_at(datetime(2026, 12, 2, 2, 0, tzinfo=UTC)):
        log_in(client, "op1")
        page = client.get("/staff/calls/callbacks").get_data(as_text=True)
        assert silent.tracking_number in page and answered.tracking_number not in page
        assert "13055441314" not in page  # the number only on a recorded request
        shown = client.post(f"/staff/calls/callbacks/{silent.tracking_number}/number",
                            data={"csrf_token": csrf_token_from(page)}).get_data(as_text=True)
        assert "+8613055441314" in shown
        for _ in range(3):  # three calls that reach nobody take it off the list
            client.post(f"/staff/calls/callbacks/{silent.tracking_number}",
                        data={"csrf_token": csrf_token_from(shown), "reached": "no", "note": "无人接听"})
        after = client.get("/staff/calls/callbacks").get_data(as_text=True)
        assert f"callbacks/{silent.tracking_number}" not in after  # (the notices still name it)
    db.expire_all()
    kinds = [event.action for event in db.get(type(silent), silent.id).events]
    assert kinds.count("callback-unreached") == 3 and "identity-viewed" in kinds


def test_a_call_back_that_finds_it_not_solved_asks_for_the_review(db, client, people, act,
                                                                  dispatched, make_user):
    make_user("op1", Role.OPERATOR)
    complaint = resolved_case(people, act, dispatched)
    with frozen_at(datetime(2026, 12, 1, 2, 0, tzinfo=UTC)):
        log_in(client, "op1")
        page = client.get("/staff/calls/callbacks").get_data(as_text=True)
        done = client.post(f"/staff/calls/callbacks/{complaint.tracking_number}", data={
            "csrf_token": csrf_token_from(page), "reached": "yes", "fixed": "no", "satisfaction": "2",
            "note": "说墙还在裂"}, follow_redirects=True).get_data(as_text=True)
    assert "替举报人登记了复查申请" in done
    db.expire_all()
    complaint = db.get(type(complaint), complaint.id)
    assert complaint.reporter_satisfaction == 2 and complaint.review_pending_since is not None


def test_a_misconduct_reports_reporter_is_never_on_the_call_list(db, tools, client, make_user):
    make_user("op1", Role.OPERATOR)
    with frozen_at(MONDAY):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇房子裂了，村干部收了红包才给报危改",
            reporter_phone="13055441314", alleges_misconduct=True)).complaint
    db.commit()
    log_in(client, "op1")
    assert client.post(f"/staff/calls/callbacks/{complaint.tracking_number}/number",
                       data={"csrf_token": "x"}).status_code in (400, 404)
    page = client.get("/staff/calls/callbacks").get_data(as_text=True)
    assert client.post(f"/staff/calls/callbacks/{complaint.tracking_number}/number",
                       data={"csrf_token": csrf_token_from(page)}).status_code == 404


def test_where_the_table_asks_for_it_the_lead_unit_checks_a_resolution_first(
        db, tools, client, people, act, dispatched, vault):
    """construction-quality has closing_check in the table: the unit proposes, the lead unit
    sends it back with a reason or resolves it; the reporter hears only of the resolution."""
    complaint = dispatched(category="construction-quality")
    assert complaint.closing_check
    with frozen_at(MONDAY + timedelta(days=1)):
        act(complaint, EventKind.START, people["huotian"])
        with pytest.raises(TransitionError) as raised:
            act(complaint, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED)
        assert raised.value.code == "not-applicable.resolve"
        act(complaint, EventKind.PROPOSE_RESOLUTION, people["huotian"], outcome=Outcome.RECTIFIED,
            reason="已返工，圈梁重新浇筑")
        assert complaint.status is CaseStatus.IN_PROGRESS and complaint.resolution_proposed_at
        act(complaint, EventKind.SEND_BACK_RESOLUTION, people["lead"], reason="缺少返工后的照片")
        act(complaint, EventKind.PROPOSE_RESOLUTION, people["huotian"], outcome=Outcome.RECTIFIED,
            reason="补了照片")
    told = [vault.open(row.body_sealed, "outbox-body") for row in db.scalars(select(OutboxMessage))]
    assert not any("已办结" in body for body in told)  # nothing to the reporter yet
    db.commit()
    log_in(client, "lead1")
    board = client.get("/staff/board").get_data(as_text=True)
    assert complaint.tracking_number in board[board.index("办结审核（单位申请办结）"):][:2000]
    # Checked only after the unit's deadline (15 working days from 23 November): resolved as
    # proposed, and on time, as the unit proposed it in time.
    assert complaint.resolve_due_at < MONDAY + timedelta(days=30)
    with frozen_at(MONDAY + timedelta(days=30)):
        act(complaint, EventKind.RESOLVE, people["lead"], reason="审核通过")
    assert complaint.status is CaseStatus.RESOLVED and complaint.outcome is Outcome.RECTIFIED
    resolved = complaint.events[-1]
    assert resolved.details["on_time"] is True
    kinds = [event.action for event in complaint.events]
    assert kinds.count("propose-resolution") == 2 and "send-back-resolution" in kinds


def test_the_same_problem_reported_twice_is_suggested_at_triage(db, tools, client, people):
    def filed(text, **fields):
        with frozen_at(MONDAY + timedelta(days=fields.pop("day", 0))):
            return file_complaint(db, tools, NewComplaint(
                channel=Channel.WEB, description=text, township_slug="huotian", **fields)).complaint
    first = filed("火田镇菜埔村林阿婆家的土坯房后墙裂了一条大缝，下雨天怕倒", village="菜埔村")
    retold = filed("火田镇菜埔村林阿婆家土坯房后墙裂了大缝，下雨怕倒塌", village="菜埔村", day=3)
    same_phone = filed("还是我，房子的事情没人来看", reporter_phone="13055441314", day=5)
    filed("我上周反映的房子的事，请尽快", reporter_phone="13055441314", day=2)
    other_village = filed("火田镇菜埔村林阿婆家的土坯房后墙裂了一条大缝，下雨天怕倒", village="下楼村", day=1)
    much_later = filed("火田镇菜埔村林阿婆家的土坯房后墙裂了一条大缝，下雨天怕倒", village="菜埔村", day=60)
    db.commit()
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{first.tracking_number}").get_data(as_text=True)
    section = page[page.index('id="duplicates"'):]
    assert retold.tracking_number in section
    assert other_village.tracking_number not in section and much_later.tracking_number not in section
    page = client.get(f"/staff/cases/{same_phone.tracking_number}").get_data(as_text=True)
    assert 'id="duplicates"' in page  # the same phone, days apart


def test_two_reports_of_one_problem_merged_into_one_handling(db, tools, client, people, act, vault):
    """The lead unit merges the second report into the first at triage: one handling, both
    reporters answered, each receipt still opening its case, the quarter counting it once."""
    with frozen_at(MONDAY):
        first = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇菜埔村林阿婆家的土坯房后墙裂了一条大缝",
            township_slug="huotian", village="菜埔村", reporter_phone="13055441314")).complaint
        second = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="火田镇菜埔村林阿婆家土坯房后墙裂了大缝，怕倒",
            township_slug="huotian", village="菜埔村", reporter_phone="13900001111"))
    db.commit()
    with frozen_at(MONDAY + timedelta(hours=1)):
        log_in(client, "lead1")
        page = client.get(f"/staff/cases/{second.complaint.tracking_number}").get_data(as_text=True)
        merged = client.post(f"/staff/cases/{second.complaint.tracking_number}/act", data={
            "csrf_token": csrf_token_from(page), "action": "merge",
            "into": first.tracking_number, "reason": "同一户同一问题"})
        assert merged.status_code in (200, 302)
    db.expire_all()
    first, kept_back = db.get(type(first), first.id), db.get(type(first), second.complaint.id)
    assert kept_back.status is CaseStatus.CLOSED and kept_back.merged_into_id == first.id
    assert [e.action for e in first.events][-1] == "merged-in"
    with frozen_at(MONDAY + timedelta(hours=2)):
        act(first, EventKind.ACCEPT, people["lead"])
        act(first, EventKind.ASSIGN, people["lead"], unit="huotian")
        act(first, EventKind.START, people["huotian"])
        act(first, EventKind.RESOLVE, people["huotian"], outcome=Outcome.RECTIFIED, reason="已加固")
    bodies = [vault.open(row.body_sealed, "outbox-body") for row in db.scalars(select(OutboxMessage))]
    assert any("已合并一并办理" in body and kept_back.tracking_number in body for body in bodies)
    assert any("已合并办理并办结" in body and kept_back.tracking_number in body for body in bodies)
    # The second reporter's receipt still opens their case, which follows the first.
    timeline = [entry.text for entry in public_timeline(kept_back, tools.table)]
    assert any("合并" in text for text in timeline) and any(text.startswith("已办结") for text in timeline)
    report = quarterly_report(db, tools.table, Quarter.parse("2026Q4"), MONDAY + timedelta(days=40))
    assert (report.intake.received, report.intake.merged, report.intake.answered) == (2, 1, 1)
    [row] = [row for row in report.rows if row.unit == "huotian"]
    assert (row.received, row.resolved) == (1, 1)
    db.commit()
    reporter = client.application.test_client()
    page = reporter.get("/status").get_data(as_text=True)
    shown = reporter.post("/status", data={
        "csrf_token": csrf_token_from(page), "tracking_number": kept_back.tracking_number,
        "query_code": second.query_code}).get_data(as_text=True)
    assert "已办结（已与同一问题的其他举报合并办理）" in shown and "火田镇" in shown


def test_a_call_back_that_does_not_say_whether_it_reached_anyone_records_nothing(
        db, client, people, act, dispatched, make_user):
    make_user("op1", Role.OPERATOR)
    complaint = resolved_case(people, act, dispatched)
    with frozen_at(datetime(2026, 12, 2, 2, 0, tzinfo=UTC)):
        log_in(client, "op1")
        page = client.get("/staff/calls/callbacks").get_data(as_text=True)
        answer = client.post(f"/staff/calls/callbacks/{complaint.tracking_number}",
                             data={"csrf_token": csrf_token_from(page), "note": "忘了选"})
    assert answer.status_code == 400 and "请选择是否联系上了举报人" in answer.get_data(as_text=True)
    db.expire_all()
    assert "callback-unreached" not in [e.action for e in db.get(type(complaint), complaint.id).events]
