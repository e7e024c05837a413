"""The roster of poor households: the lead unit imports the providing units' lists."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases import policy
from complaints.core.clock import now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import AppraisalGrade
from complaints.db.models import AppraisalTask, Household, Rectification, Unit
from complaints.households import (
    AppraisalError,
    RosterError,
    import_roster,
    record_appraisal,
    record_rectification,
    template_xlsx,
)
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import AppraisalForm, RectificationForm, RosterForm
from complaints.web.uploads import cleaned_photos

bp = Blueprint("roster", __name__, url_prefix="/staff/roster")
SHOWN = 500
MAX_FILE_BYTES = 5 * 1024 * 1024


@bp.before_request
@login_required
def lead_unit_only() -> None:
    if not policy.can_manage_roster(current_user):
        abort(404)


@bp.route("/")
def roster() -> str:
    return _page(RosterForm(components().table))


@bp.route("/template.xlsx")
def template() -> Response:
    response = Response(template_xlsx(),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = "attachment; filename=roster-template.xlsx"
    return response


@bp.route("/import", methods=["POST"])
def import_list() -> BaseResponse | tuple[str, int]:
    form = RosterForm(components().table)
    upload = form.file.data
    if not form.validate_on_submit() or upload is None or not upload.filename:
        return _page(form, error=t("form.required")), 400
    data = upload.read(MAX_FILE_BYTES + 1)
    provider = db_session().scalar(select(Unit).where(Unit.slug == form.provider.data))
    if provider is None or len(data) > MAX_FILE_BYTES:
        return _page(form, error=t("roster.error.unreadable")), 400
    try:
        result = import_roster(db_session(), components().tools, data=data, filename=upload.filename,
                               provider=provider, received_on=form.received_on.data,
                               actor=current_user)
    except RosterError as error:
        discard_changes()
        return _page(form, error=str(error)), 400
    if result.problems:
        discard_changes()
        return _page(form, problems=result.problems), 400
    flash(t("roster.again") if result.already_imported
          else t("roster.imported", added=result.added, matched=result.matched))
    return redirect(url_for("roster.roster"))


def _page(form: RosterForm, error: str | None = None, problems: object = None) -> str:
    households = db_session().scalars(
        select(Household).options(selectinload(Household.township), selectinload(Household.appraisal),
                                  selectinload(Household.rectification))
        .order_by(Household.id.desc()).limit(SHOWN)).all()
    return render_template("staff/roster.html", form=form, error=error, problems=problems or [],
                           households=households, now=now_utc(), grades=list(AppraisalGrade))


@bp.route("/appraisals/<int:task_id>", methods=["POST"])
def appraisal(task_id: int) -> BaseResponse | tuple[str, int]:
    form = AppraisalForm()
    photos, refused = cleaned_photos(form.photo)  # before the database: see uploads
    task = db_session().get(AppraisalTask, task_id)
    if task is None:
        abort(404)
    if not form.validate_on_submit() or form.appraised_on.data is None or refused:
        return _page(RosterForm(components().table), error=refused or t("roster.appraisal_error.fields")), 400
    try:
        record_appraisal(db_session(), task, grade=AppraisalGrade(form.grade.data),
                         appraised_on=form.appraised_on.data, appraiser=form.appraiser.data or "",
                         photos=tuple((photo.content_type, photo.data) for photo in photos))
    except AppraisalError as error:
        discard_changes()
        return _page(RosterForm(components().table), error=t(f"roster.appraisal_error.{error.code}")), 409
    flash(t("roster.appraisal_recorded"))
    return redirect(url_for("roster.roster"))


@bp.route("/rectifications/<int:rectification_id>", methods=["POST"])
def rectification(rectification_id: int) -> BaseResponse | tuple[str, int]:
    form = RectificationForm()
    photos, refused = cleaned_photos(form.photo)  # before the database: see uploads
    work = db_session().get(Rectification, rectification_id)
    if work is None:
        abort(404)
    if not form.validate_on_submit() or refused:
        return _page(RosterForm(components().table), error=refused or t("roster.appraisal_error.fields")), 400
    try:
        record_rectification(db_session(), work, progress=form.progress.data, done=bool(form.done.data),
                             plate_posted_on=form.plate_posted_on.data,
                             photos=tuple((photo.content_type, photo.data) for photo in photos))
    except AppraisalError as error:
        discard_changes()
        return _page(RosterForm(components().table), error=t(f"roster.appraisal_error.{error.code}")), 409
    flash(t("roster.rectification_recorded"))
    return redirect(url_for("roster.roster"))
