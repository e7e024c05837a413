"""The helper's page (动态监测): a phone, a day of visits, one household after another.

A helper sees only the households they help; a report goes straight to the household's
township (``intake.field_reports``). The pages are small and work without JavaScript; a
report sent twice on a slow line (the same form token) is filed once."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases import policy
from complaints.core.messages import t
from complaints.db.models import Household
from complaints.households.helpers import HelperError, helps, households_of
from complaints.intake.field_reports import file_helper_report
from complaints.intake.filing import find_by_submission_token
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import HelperReportForm
from complaints.web.uploads import cleaned_photos

bp = Blueprint("helper", __name__, url_prefix="/staff/helper")


@bp.before_request
@login_required
def helpers_only() -> None:
    if not policy.is_helper(current_user):
        abort(404)


@bp.route("/")
def households() -> str:
    return render_template("helper/households.html", households=households_of(db_session(), current_user))


@bp.route("/households/<int:household_id>", methods=["GET", "POST"])
def report(household_id: int) -> str | BaseResponse | tuple[str, int]:
    household = db_session().get(Household, household_id)
    if household is None or not helps(db_session(), current_user, household_id):
        abort(404)
    form = HelperReportForm(components().table)
    if not form.is_submitted():
        form.submission_token.data = secrets.token_urlsafe(24)
        return _page(household, form)
    photos, refused = cleaned_photos(form.photo)  # before the database: see uploads
    token = (form.submission_token.data or "")[:64] or None
    if token and find_by_submission_token(db_session(), token) is not None:
        flash(t("helper_page.sent", township=household.township.name))
        return redirect(url_for("helper.households"))
    if not form.validate_on_submit() or refused:
        return _page(household, form, refused), 400
    try:
        filed = file_helper_report(db_session(), components().tools, current_user, household,
                                   problem=form.problem.data or "", note=form.note.data or "",
                                   photos=tuple(photos), submission_token=token)
    except HelperError as error:
        discard_changes()
        return _page(household, form, t(f"helper_page.error.{error.code}")), 400
    held = filed.complaint.responsible_unit is None  # it accuses the township: the lead unit's
    flash(t("helper_page.sent_to_lead", unit=components().table.lead_unit.name) if held
          else t("helper_page.sent", township=household.township.name))
    return redirect(url_for("helper.households"))


def _page(household: Household, form: HelperReportForm, error: str | None = None) -> str:
    return render_template("helper/report.html", household=household, form=form, error=error,
                           name=components().vault.open(household.head_name_sealed, "household-head",
                                                        f"household/{household.id}"))
