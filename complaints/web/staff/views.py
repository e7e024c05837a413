"""Staff pages. Thin: each asks ``complaints.cases.policy`` what the user may see and do,
and hands changes to the lifecycle."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from complaints.accounts import AccountError, name_unit_contact, second_factor
from complaints.calendar.deadlines import elapsed_working_days, sla_state, working_days_after
from complaints.cases import policy
from complaints.cases.audit import current_head
from complaints.cases.duplicates import likely_duplicates
from complaints.cases.identities import record_view, reporter_field
from complaints.cases.jobs import complete_follow_up, end_follow_ups, quarter_of
from complaints.cases.operations import allowed_actions, perform
from complaints.cases.queries import CaseFilter, filtered, overdue_clause, page_of_cases
from complaints.cases.routing_override import OverrideError, override_routing
from complaints.cases.rules import TransitionError, pending_identity_requests
from complaints.core.clock import local_today, now_utc
from complaints.core.identity import mask_phone
from complaints.core.messages import t
from complaints.core.vocabulary import BEFORE_DISPATCH, CaseStatus, ClueState, EventKind, Outcome
from complaints.db.models import (
    Attachment,
    CaseEvent,
    Clue,
    Complaint,
    FollowUp,
    Household,
    HouseholdVisit,
    InspectionProblem,
    Rectification,
    Unit,
    User,
)
from complaints.households import household_history, late_appraisals, suggested_households
from complaints.households.visits import township_progress
from complaints.reports import figures
from complaints.reports.files.pdf import quarterly_pdf
from complaints.reports.files.xlsx import ledger_xlsx, monthly_xlsx, quarterly_xlsx
from complaints.reports.ledger import ledger_lines
from complaints.reports.monthly import MonthError, Period, monthly_report
from complaints.reports.quarterly import (
    Quarter,
    ReportError,
    Submission,
    SubmitError,
    quarterly_report,
    submissions,
    submit_report,
)
from complaints.web.auth.forms import LogoutForm
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.security import keyed_digest, security_event
from complaints.web.staff.charts import hbar_chart, weekly_chart
from complaints.web.staff.clues import clue_list
from complaints.web.staff.forms import ActionForm, CaseFilterForm, RoutingOverrideForm
from complaints.web.uploads import photo_response

bp = Blueprint("staff", __name__, url_prefix="/staff")

BOARD_ROWS = 30
FOLLOW_UP_ROWS = 200
IDENTITY_VIEWS_SHOWN = 500


@bp.before_request
@login_required
def require_login() -> None:
    """Every staff page needs a logged-in account; Flask-Login redirects the rest. A helper
    has a page of their own: the console's pages do not exist for them."""
    if policy.is_helper(current_user) and request.endpoint != "staff.dashboard":
        abort(404)


@bp.context_processor
def staff_helpers() -> dict[str, object]:
    tools = components().tools
    now = now_utc()

    def sla(complaint: Complaint) -> str:
        return sla_state(complaint, tools.table.deadlines_for(complaint.category), tools.calendar,
                         now).value

    return {"logout_form": LogoutForm(), "sla": sla,
            "reads_allegation": lambda complaint: policy.reads_allegation(current_user, complaint),
            "case_text": lambda complaint: policy.case_text(current_user, complaint)}


@bp.route("/")
def dashboard() -> str | BaseResponse:
    if policy.can_manage_users(current_user):
        return users()
    if policy.is_helper(current_user):
        return redirect(url_for("helper.households"))
    if policy.can_see_board(current_user):
        return board()
    if policy.works_on_clues(current_user):
        return clue_list()
    return case_list()


@bp.route("/cases")
def case_list() -> str:
    form = CaseFilterForm(request.args, table=components().table)
    case_filter = form.to_filter() if form.validate() else CaseFilter()
    now = now_utc()
    page = page_of_cases(db_session(), current_user, case_filter, now, _soon(now))
    return render_template("staff/cases.html", page=page, form=form,
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.route("/board")
def board() -> str:
    if not policy.can_see_board(current_user):
        abort(404)
    session, now = db_session(), now_utc()
    # Every unit once (a few dozen rows), held until the page is made: each listed case's unit
    # and township is then found in the session, not asked of the database list by list.
    _all_units = session.scalars(select(Unit)).all()
    base = select(Complaint)

    def rows(*where: ColumnElement[bool]) -> list[Complaint]:
        """Soonest deadline first, those without one last: read in the deadline index's order
        (NULLS LAST would sort every matching case first), then the undated ones."""
        dated = list(session.scalars(base.where(*where, Complaint.deadline_at.is_not(None))
                                     .order_by(Complaint.deadline_at).limit(BOARD_ROWS)))
        if len(dated) == BOARD_ROWS:
            return dated
        return dated + list(session.scalars(base.where(*where, Complaint.deadline_at.is_(None))
                                            .order_by(Complaint.id).limit(BOARD_ROWS - len(dated))))

    unit_rows = figures.unit_figures(session)
    quarter = quarter_of(local_today())
    weeks = figures.weekly_flow(session, local_today())
    # The heads only: walking the chains is `flask --app complaints.app audit verify`'s job.
    head_seq, head_fold = current_head(session)
    return render_template(
        "staff/board.html",
        intake=rows(Complaint.status.in_([CaseStatus.RECEIVED, CaseStatus.ACCEPTED,
                                          CaseStatus.RETURNED, CaseStatus.REOPENED])),
        triage=rows(Complaint.needs_triage.is_(True)),
        overdue=rows(overdue_clause(now), Complaint.status.not_in(
            [CaseStatus.CLOSED, CaseStatus.REJECTED])),
        extensions=rows(Complaint.pending_extension_days.is_not(None)),
        transfers=rows(Complaint.status == CaseStatus.TRANSFERRED),
        objections=rows(Complaint.objection_pending_since.is_not(None)),
        reviews=rows(Complaint.review_pending_since.is_not(None)),
        proposals=rows(Complaint.resolution_proposed_at.is_not(None)),
        pending_clues=session.scalar(select(func.count(Clue.id)).where(
            policy.clue_visibility(current_user), Clue.state == ClueState.PENDING)) or 0,
        units=unit_rows,
        head_seq=head_seq, head_fold=head_fold,
        weekly_svg=weekly_chart(
            [(f"{monday:%m-%d}", received, resolved) for monday, received, resolved in weeks],
            title=t("board.weekly"), first=t("board.received"), second=t("board.resolved")),
        on_time_svg=hbar_chart(
            [(row.unit_name, round(100 * row.on_time_rate)) for row in unit_rows
             if row.on_time_rate is not None],
            title=t("board.on_time_chart"), unit="%", maximum=100),
        township_svg=hbar_chart(figures.open_by_township(session), title=t("board.by_township")),
        quarter=quarter, visit_progress=township_progress(session, quarter),
        late_appraisals=late_appraisals(session, now, BOARD_ROWS),
    )


def users() -> str:
    if not policy.can_manage_users(current_user):
        abort(404)
    accounts = db_session().scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("staff/users.html", users=accounts)


@bp.route("/users/<int:user_id>/reset-second-factor", methods=["POST"])
def reset_second_factor(user_id: int) -> BaseResponse:
    """For a lost phone: the account enrols again at its next login (an event in the chain)."""
    if not policy.can_manage_users(current_user):
        abort(404)
    user = db_session().get(User, user_id)
    if user is None:
        abort(404)
    second_factor.reset(db_session(), current_user, user)
    security_event("second factor reset", level=logging.INFO, account=keyed_digest(user.username),
                   by=keyed_digest(current_user.username))
    flash(t("second_factor.reset_done", user=user.username))
    return redirect(url_for("staff.dashboard"))


@bp.route("/users/<int:user_id>/unit-contact", methods=["POST"])
def unit_contact(user_id: int) -> BaseResponse:
    """The unit's named liaison, whom the problem ledger names for what is not yet in hand."""
    if not policy.can_manage_users(current_user):
        abort(404)
    user = db_session().get(User, user_id)
    if user is None:
        abort(404)
    try:
        name_unit_contact(db_session(), user)
    except AccountError:
        discard_changes()
        flash(t("users.unit_contact_refused"))
    else:
        flash(t("users.unit_contact_named", name=user.display_name))
    return redirect(url_for("staff.dashboard"))


@bp.route("/cases/<tracking_number>")
def case_detail(tracking_number: str) -> str:
    return _case_page(_visible_case_or_404(tracking_number))


@bp.route("/cases/<tracking_number>/identity", methods=["POST"])
def case_identity(tracking_number: str) -> str:
    """The reporter's name and number, shown on a deliberate request that is recorded."""
    complaint = _visible_case_or_404(tracking_number)
    if complaint.reporter is None or policy.identity_access(
            current_user, complaint) is not policy.IdentityAccess.FULL:
        abort(403)
    record_view(db_session(), complaint, current_user)
    return _case_page(complaint, reveal_identity=True)


@bp.route("/identity-views")
def identity_views() -> str:
    """Who was shown which reporter's identity, newest first."""
    if not policy.sees_identity_views(current_user):
        abort(403)
    views = db_session().scalars(
        select(CaseEvent).where(CaseEvent.action == EventKind.IDENTITY_VIEWED.value)
        .options(selectinload(CaseEvent.complaint), selectinload(CaseEvent.actor))
        .order_by(CaseEvent.seq.desc()).limit(IDENTITY_VIEWS_SHOWN)).all()
    return render_template("staff/identity_views.html", views=views)


@bp.route("/cases/<tracking_number>/act", methods=["POST"])
def case_action(tracking_number: str) -> BaseResponse | tuple[str, int]:
    complaint = _visible_case_or_404(tracking_number)
    form = ActionForm(table=components().table)
    if not form.validate_on_submit():
        return _case_page(complaint, action_error=t("lifecycle.invalid-form")), 400
    try:
        action = EventKind(form.action.data)
        perform(db_session(), components().tools, complaint, form.to_request(action),
                policy.relations(current_user, complaint), current_user)
    except (ValueError, TransitionError) as error:
        discard_changes()
        message = error.message if isinstance(error, TransitionError) else t("lifecycle.invalid-form")
        complaint = _visible_case_or_404(tracking_number)
        return _case_page(complaint, action_error=message), 409
    flash(t("lifecycle.done", action=t(f"action.{action.value}")))
    return redirect(url_for("staff.case_detail", tracking_number=tracking_number))


@bp.route("/cases/<tracking_number>/routing", methods=["POST"])
def override_case_routing(tracking_number: str) -> BaseResponse | tuple[str, int]:
    complaint = _visible_case_or_404(tracking_number)
    if not policy.can_override_routing(current_user):
        abort(403)
    form = RoutingOverrideForm(components().table)
    if form.validate_on_submit():
        try:
            override_routing(
                db_session(), components().router, complaint, current_user,
                category=form.category.data, lead_unit=form.lead_unit.data,
                co_units=form.co_units.data or [], reason=form.reason.data or "",
            )
        except OverrideError as error:
            discard_changes()
            field = getattr(form, error.field, None)
            (field.errors if field is not None else form.form_errors).append(
                t(f"routing.error.{error.field}")
            )
        else:
            flash(t("routing.overridden"))
            return redirect(url_for("staff.case_detail", tracking_number=tracking_number))
    return _case_page(complaint, override_form=form), 400


@bp.route("/follow-ups")
def follow_ups() -> str:
    if not policy.can_see_follow_ups(current_user):
        abort(404)
    tasks = db_session().scalars(
        select(FollowUp).where(policy.follow_up_visibility(current_user), FollowUp.done_at.is_(None))
        .options(selectinload(FollowUp.complaint), selectinload(FollowUp.unit))
        .order_by(FollowUp.due_at).limit(FOLLOW_UP_ROWS)
    ).all()
    return render_template("staff/follow_ups.html", tasks=tasks, now=now_utc())


@bp.route("/follow-ups/<int:follow_up_id>/done", methods=["POST"])
def follow_up_done(follow_up_id: int) -> BaseResponse:
    task = db_session().get(FollowUp, follow_up_id)
    if task is None or not policy.can_do_follow_up(current_user, task):
        abort(404)
    try:
        complete_follow_up(db_session(), task, current_user, request.form.get("note", ""))
    except TransitionError as error:
        discard_changes()
        flash(error.message)
    else:
        flash(t("followup.done"))
    return redirect(url_for("staff.follow_ups"))


@bp.route("/cases/<tracking_number>/end-follow-ups", methods=["POST"])
def case_end_follow_ups(tracking_number: str) -> BaseResponse | tuple[str, int]:
    complaint = _visible_case_or_404(tracking_number)
    if not policy.can_end_follow_ups(current_user):
        abort(403)
    try:
        end_follow_ups(db_session(), complaint, current_user, request.form.get("reason", ""))
    except TransitionError as error:
        discard_changes()
        return _case_page(complaint, action_error=error.message), 409
    flash(t("followup.ended"))
    return redirect(url_for("staff.case_detail", tracking_number=tracking_number))


@bp.route("/reports")
def reports() -> str:
    allowed_townships = policy.monthly_townships(current_user)
    quarterly = policy.can_see_reports(current_user)
    if not quarterly and allowed_townships == []:
        abort(404)
    today = local_today()
    quarters = [Quarter.of(today)]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous)
    months = [f"{today:%Y-%m}"]
    for _ in range(5):
        year, month = map(int, months[-1].split("-"))
        months.append(f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}")
    # Who submitted which quarter's report when, and the chain's head then: newest first.
    history = list(reversed(submissions(db_session()))) if quarterly else []
    by_quarter: dict[str, list[Submission]] = {}
    for submission in history:
        by_quarter.setdefault(submission.quarter, []).append(submission)
    return render_template("staff/reports.html", quarters=quarters, months=months,
                           quarterly=quarterly, monthly=allowed_townships != [],
                           history=history, by_quarter=by_quarter, now=now_utc(), today=today,
                           may_submit=policy.can_submit_quarterly(current_user))


@bp.route("/reports/quarterly/submit", methods=["POST"])
def submit_quarterly() -> BaseResponse:
    """The lead unit submits a quarter's report to the commission (again, when corrected)."""
    if not policy.can_submit_quarterly(current_user):
        abort(404)
    try:
        quarter = Quarter.parse(request.form.get("quarter", ""))
    except ReportError:
        abort(404)
    try:
        done = submit_report(db_session(), quarter, current_user)
    except SubmitError as error:
        discard_changes()
        flash(t("quarterly.page.refused_not_ended") if error.code == "not-ended"
              else t("quarterly.page.refused_not_lead"))
    else:
        flash(t("quarterly.page.done", quarter=quarter.label, seq=done.chain_seq))
    return redirect(url_for("staff.reports"))


@bp.route("/reports/monthly.xlsx")
def monthly_file() -> Response:
    allowed = policy.monthly_townships(current_user)
    township = request.args.get("township") or None
    if allowed == [] or (allowed is not None and township not in allowed + [None]):
        abort(404)
    if allowed is not None:
        township = allowed[0]
    try:
        period = Period.parse(request.args.get("month", ""))
    except MonthError:
        abort(404)
    table = components().table
    rows = monthly_report(db_session(), table, period, township, now_utc())
    return _download(monthly_xlsx(period, rows, table.lead_unit.name), "xlsx",
                     f"monthly-progress-{period.month}")


@bp.route("/ledger.xlsx")
def ledger_file() -> Response:
    """The problem ledger, as XLSX: every problem the user may see; with the list's filters,
    the cases they pick and the open follow-ups."""
    form = CaseFilterForm(request.args, table=components().table)
    case_filter = form.to_filter() if form.validate() else CaseFilter()
    now = now_utc()
    follow_ups = (select(FollowUp).where(policy.follow_up_visibility(current_user))
                  if policy.can_see_follow_ups(current_user) else None)
    rectifications = (select(Rectification).join(Household)
                      .where(policy.household_visibility(current_user)))
    problems = select(InspectionProblem).where(policy.problem_visibility(current_user))
    visits = (select(HouseholdVisit).join(Household)
              .where(policy.household_visibility(current_user)))
    if case_filter != CaseFilter():  # the list's filters pick cases; the rest has none of them
        rectifications, problems, visits = (rectifications.where(false()), problems.where(false()),
                                            visits.where(false()))
    lines = ledger_lines(db_session(), components().tools,
                         filtered(current_user, case_filter, now, _soon(now)), follow_ups, now,
                         rectifications=rectifications, problems=problems, visits=visits)
    return _download(ledger_xlsx(lines), "xlsx", f"problem-ledger-{local_today():%Y%m%d}")


def _download(data: bytes, kind: str, stem: str) -> Response:
    mimetype = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pdf": "application/pdf"}[kind]
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


@bp.route("/reports/quarterly.<kind>")
def quarterly_file(kind: str) -> Response:
    if not policy.can_see_reports(current_user) or kind not in ("xlsx", "pdf"):
        abort(404)
    try:
        quarter = Quarter.parse(request.args.get("quarter", ""))
    except ReportError:
        abort(404)
    # The commission's copy shows every clue; the lead unit's only counts those accusing it.
    for_commission = policy.gets_full_clue_report(current_user)
    report = quarterly_report(db_session(), components().table, quarter, now_utc(),
                              for_commission=for_commission)
    data = quarterly_xlsx(report) if kind == "xlsx" else quarterly_pdf(report)
    copy = "commission" if for_commission else "lead"
    return _download(data, kind, f"quarterly-clue-report-{quarter.label}-{copy}")


@bp.route("/cases/<tracking_number>/photos/<int:photo_id>")
def case_photo(tracking_number: str, photo_id: int) -> Response:
    complaint = _visible_case_or_404(tracking_number)
    photo = db_session().get(Attachment, photo_id)
    if photo is None or photo.complaint_id != complaint.id:
        abort(404)
    return photo_response(photo)


def _soon(now: datetime) -> datetime:
    tools = components().tools
    return working_days_after(tools.calendar, now, tools.table.deadlines.due_soon_working_days).at


def _case_page(complaint: Complaint, override_form: RoutingOverrideForm | None = None,
               action_error: str | None = None, reveal_identity: bool = False) -> str:
    tools = components().tools
    access = policy.identity_access(current_user, complaint)
    relations = policy.relations(current_user, complaint)
    if override_form is None and policy.can_override_routing(current_user):
        routing = complaint.routing or {}
        override_form = RoutingOverrideForm(
            tools.table, formdata=None, category=complaint.category,
            lead_unit=routing.get("lead_unit"), co_units=routing.get("co_units", []),
        )
    users_by_id = {user.id: user for user in db_session().scalars(select(User))}
    household = db_session().get(Household, complaint.household_id) if complaint.household_id else None
    return render_template(
        "staff/case.html", complaint=complaint,
        reporter=_reporter_view(complaint, access, reveal_identity),
        events=[event for event in complaint.events if policy.may_see_event(current_user, event)],
        override_form=override_form, action_error=action_error,
        actions=allowed_actions(complaint, relations),
        action_form=ActionForm(table=tools.table, formdata=None),
        outcomes=list(Outcome), units=tools.table.handling_units, users_by_id=users_by_id,
        steps=_steps(complaint),
        visible_clues=[clue for clue in complaint.clues if policy.clue_relations(current_user, clue)],
        pending_identity=sorted(pending_identity_requests(complaint)),
        household=household,
        household_cases=household_history(db_session(), household) if household else [],
        households=(suggested_households(db_session(), complaint)
                    if household is None and policy.can_override_routing(current_user) else []),
        duplicates=(likely_duplicates(db_session(), tools.router.reading, complaint)
                    if policy.can_override_routing(current_user)
                    and complaint.status in BEFORE_DISPATCH else []),
    )


def _steps(complaint: Complaint) -> list[tuple[str, int | None]]:
    """How long each step took, in working days (None: not reached)."""
    calendar = components().tools.calendar
    marks = [("step.accept", complaint.received_at, complaint.accepted_at),
             ("step.assign", complaint.accepted_at, complaint.assigned_at),
             ("step.resolve", complaint.assigned_at, complaint.resolved_at),
             ("step.close", complaint.resolved_at, complaint.closed_at)]
    return [(label, elapsed_working_days(calendar, start, end) if start and end else None)
            for label, start, end in marks]


def _visible_case_or_404(tracking_number: str) -> Complaint:
    complaint = db_session().scalar(
        select(Complaint).where(Complaint.tracking_number == tracking_number)
    )
    # Not found and not allowed look the same, so tracking numbers cannot be probed.
    if complaint is None or not policy.can_see_case(current_user, complaint):
        abort(404)
    return complaint


def _reporter_view(complaint: Complaint, access: policy.IdentityAccess,
                   reveal: bool) -> dict[str, str] | None:
    reporter = complaint.reporter
    if reporter is None or access is policy.IdentityAccess.NONE:
        return None
    vault = components().vault
    phone = reporter_field(vault, reporter, "phone")
    if access is policy.IdentityAccess.MASKED:
        return {"name": "", "phone": mask_phone(phone) if phone else ""}
    if not reveal:  # what there is, not what it says, until asked for (and recorded)
        return {"hidden": "1", "phone": mask_phone(phone) if phone else "",
                "name": "*" if reporter.name_sealed else "",
                "email": "*" if reporter.email_sealed else ""}
    # Who saw whose identity, for the record; the log names the case, not the person.
    security_event("identity shown", level=logging.INFO, user=current_user.username,
                   case=complaint.tracking_number)
    return {"name": reporter_field(vault, reporter, "name") or "", "phone": phone or "",
            "email": reporter_field(vault, reporter, "email") or ""}

