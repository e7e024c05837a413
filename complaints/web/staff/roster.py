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
from complaints.db.models import Household, Unit
from complaints.households import RosterError, import_roster, template_xlsx
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import RosterForm

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
        select(Household).options(selectinload(Household.township), selectinload(Household.appraisal))
        .order_by(Household.id.desc()).limit(SHOWN)).all()
    return render_template("staff/roster.html", form=form, error=error, problems=problems or [],
                           households=households, now=now_utc())
