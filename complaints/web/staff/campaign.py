"""The townships' monthly reports and summary (信息报送), and the problem ledger's own rows.

A township's liaisons see what their township owes, with the figures the data gives, and
send it with their text; the lead unit sees who has sent and who is late, and downloads the
workbook it forwards. Every unit enters the problems its own inspection found."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases import policy
from complaints.core.clock import local_today, now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import TownshipReportKind
from complaints.db.models import InspectionProblem, TownshipReport
from complaints.reports.files.xlsx import township_reports_xlsx
from complaints.reports.ledger import ProblemError, enter_problem, update_problem
from complaints.reports.monthly import MonthError
from complaints.reports.township_reports import (
    FIGURES,
    Due,
    TownshipReportError,
    campaign_figures,
    due_of,
    is_late,
    reports_due,
    standings,
    submit,
)
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import ProblemForm, ProblemUpdateForm, TownshipReportForm

bp = Blueprint("campaign", __name__, url_prefix="/staff/campaign")
PROBLEMS_SHOWN = 500


@bp.before_request
@login_required
def signed_in() -> None:
    pass


@bp.route("/reports")
def township_reports() -> str:
    table, today = components().table, local_today()
    owed = _asked_for() or reports_due(table, today)
    if policy.submits_township_reports(current_user):
        return _township_page(owed)
    if not policy.can_see_reports(current_user):
        abort(404)
    return render_template("staff/township_reports.html", owed=owed, figures=FIGURES,
                           standings={due: standings(db_session(), table, due, today) for due in owed})


@bp.route("/reports/<kind>/<period>", methods=["POST"])
def send_report(kind: str, period: str) -> BaseResponse | tuple[str, int]:
    if not policy.submits_township_reports(current_user) or current_user.unit is None:
        abort(404)
    due = _due_or_404(kind, period)
    form = TownshipReportForm()
    if not form.validate_on_submit():
        return _township_page([due], error=t("township_report.error.text")), 400
    try:
        submit(db_session(), components().table, current_user.unit, due, text=form.text.data or "",
               actor=current_user, now=now_utc())
    except TownshipReportError as error:
        discard_changes()
        return _township_page([due], error=t(f"township_report.error.{error.code}")), 409
    flash(t("township_report.sent"))
    return redirect(url_for("campaign.township_reports"))


@bp.route("/reports.xlsx")
def township_reports_file() -> Response:
    if not policy.can_see_reports(current_user):
        abort(404)
    table, today = components().table, local_today()
    owed = _asked_for() or reports_due(table, today)
    book = township_reports_xlsx([(due, standings(db_session(), table, due, today)) for due in owed])
    response = Response(book, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f"attachment; filename=township-reports-{owed[0].period}.xlsx"
    return response


def _asked_for() -> list[Due]:
    kind, period = request.args.get("kind"), request.args.get("period")
    return [_due_or_404(kind, period)] if kind and period else []


def _due_or_404(kind: str | None, period: str | None) -> Due:
    try:
        return due_of(components().table, TownshipReportKind(kind or ""), period or "")
    except (ValueError, MonthError):
        abort(404)


def _township_page(owed: list[Due], error: str | None = None) -> str:
    session, unit = db_session(), current_user.unit
    sent = {(r.kind, r.period): r for r in session.scalars(select(TownshipReport).where(
        TownshipReport.township_id == current_user.unit_id).order_by(TownshipReport.due_on.desc()))}
    previews = {due: campaign_figures(session, components().table, unit, due, now_utc())
                for due in owed if (due.kind, due.period) not in sent}
    return render_template("staff/township_report.html", owed=owed, sent=sent, previews=previews,
                           figures=FIGURES, form=TownshipReportForm(), error=error, today=local_today(),
                           late={r.id: is_late(r, r.due_on, local_today()) for r in sent.values()})


@bp.route("/ledger", methods=["GET", "POST"])
def ledger() -> str | BaseResponse | tuple[str, int]:
    if not policy.can_enter_problems(current_user):
        abort(404)
    form = ProblemForm()
    if request.method == "POST":
        if not form.validate_on_submit() or form.found_on.data is None or form.deadline_on.data is None:
            return _ledger_page(form, t("ledger.error.description")), 400
        try:
            enter_problem(db_session(), current_user.unit_id, found_on=form.found_on.data,
                          description=form.description.data or "", measure=form.measure.data or "",
                          responsible_person=form.person.data or "", deadline_on=form.deadline_on.data,
                          actor=current_user)
        except ProblemError as error:
            discard_changes()
            return _ledger_page(form, t(f"ledger.error.{error.code}")), 400
        flash(t("ledger.entered"))
        return redirect(url_for("campaign.ledger"))
    return _ledger_page(form)


@bp.route("/ledger/<int:problem_id>", methods=["POST"])
def ledger_update(problem_id: int) -> BaseResponse | tuple[str, int]:
    problem = db_session().scalar(select(InspectionProblem).where(
        InspectionProblem.id == problem_id, policy.problem_visibility(current_user)))
    if problem is None:
        abort(404)
    form = ProblemUpdateForm()
    if not form.validate_on_submit():
        return _ledger_page(ProblemForm(), t("ledger.error.closed")), 400
    try:
        update_problem(problem, progress=form.progress.data or "", closed_on=form.closed_on.data)
    except ProblemError as error:
        discard_changes()
        return _ledger_page(ProblemForm(), t(f"ledger.error.{error.code}")), 409
    flash(t("ledger.updated"))
    return redirect(url_for("campaign.ledger"))


def _ledger_page(form: ProblemForm, error: str | None = None) -> str:
    problems = db_session().scalars(select(InspectionProblem).where(policy.problem_visibility(current_user))
                                    .order_by(InspectionProblem.closed_on.is_not(None),
                                              InspectionProblem.deadline_on)
                                    .limit(PROBLEMS_SHOWN)).all()
    return render_template("staff/ledger.html", form=form, problems=problems, error=error,
                           update=ProblemUpdateForm(), today=local_today())
