"""A township's roster households: the quarter's visits, their results, the helpers assigned.

The lead unit sees every township's; a township's liaisons see their own, with the head's
name and phone they need to visit, and the household's cases that they may see anyway (never
one whose clue accuses them, never a clue)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases import policy
from complaints.cases.jobs import quarter_of
from complaints.core.clock import local_today, now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import VisitResult
from complaints.db.models import Complaint, Household, HouseholdPhoto, HouseholdVisit, User
from complaints.households.helpers import HelperError, assign_helper, township_helpers, unassign_helper
from complaints.households.visits import VisitError, visits_query
from complaints.intake.field_reports import record_visit_result
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.staff.forms import VisitForm
from complaints.web.uploads import cleaned_photos, photo_response

bp = Blueprint("households", __name__, url_prefix="/staff/households")
SHOWN = 500


@bp.before_request
@login_required
def township_or_lead_unit_only() -> None:
    if not policy.can_see_households(current_user):
        abort(404)


@bp.route("/")
def visits() -> str:
    """This quarter's visits, what is left first."""
    quarter = quarter_of(local_today())
    listed = db_session().scalars(
        visits_query(quarter).where(policy.household_visibility(current_user))
        .options(selectinload(HouseholdVisit.household).selectinload(Household.township),
                 selectinload(HouseholdVisit.household).selectinload(Household.helpers))
        .limit(SHOWN)).all()
    names = {visit.household_id: _head_name(visit.household) for visit in listed}
    return render_template("staff/visits.html", visits=listed, quarter=quarter, names=names, now=now_utc())


@bp.route("/<int:household_id>")
def household(household_id: int) -> str:
    return _page(_visible_or_404(household_id))


@bp.route("/visits/<int:visit_id>", methods=["POST"])
def record_visit(visit_id: int) -> BaseResponse | tuple[str, int]:
    form = VisitForm()
    photos, refused = cleaned_photos(form.photo)  # before the database: see uploads
    visit = db_session().get(HouseholdVisit, visit_id)
    if visit is None:
        abort(404)
    household = _visible_or_404(visit.household_id)
    if not form.validate_on_submit() or refused:
        return _page(household, form=form, error=refused or t("visits.error.note")), 400
    try:
        case = record_visit_result(db_session(), components().tools, visit,
                                   result=VisitResult(form.result.data), note=form.note.data or "",
                                   actor=current_user, photos=tuple(photos))
    except VisitError as error:
        discard_changes()
        return _page(household, form=form, error=t(f"visits.error.{error.code}")), 409
    flash(t("visits.hazard_filed", number=case.tracking_number) if case else t("visits.recorded"))
    return redirect(url_for("households.household", household_id=household.id))


@bp.route("/<int:household_id>/helpers", methods=["POST"])
def helpers(household_id: int) -> BaseResponse | tuple[str, int]:
    household = _visible_or_404(household_id)
    helper = db_session().get(User, request.form.get("helper_id", type=int) or 0)
    if helper is None:
        return _page(household, error=t("helpers.error.not-a-helper")), 400
    try:
        if request.form.get("remove"):
            unassign_helper(db_session(), household, helper)
        else:
            assign_helper(db_session(), household, helper)
    except HelperError as error:
        discard_changes()
        return _page(household, error=t(f"helpers.error.{error.code}")), 409
    flash(t("helpers.saved"))
    return redirect(url_for("households.household", household_id=household.id))


@bp.route("/<int:household_id>/photos/<int:photo_id>")
def photo(household_id: int, photo_id: int) -> Response:
    household = _visible_or_404(household_id)
    found = db_session().get(HouseholdPhoto, photo_id)
    if found is None or found.household_id != household.id:
        abort(404)
    return photo_response(found)


def _visible_or_404(household_id: int) -> Household:
    found = db_session().scalar(select(Household).where(
        Household.id == household_id, policy.household_visibility(current_user)))
    if found is None:
        abort(404)
    return found


def _head_name(household: Household) -> str:
    return components().vault.open(household.head_name_sealed, "household-head", f"household/{household.id}")


def _page(household: Household, form: VisitForm | None = None, error: str | None = None) -> str:
    session = db_session()
    history = session.scalars(select(Complaint).where(
        Complaint.household_id == household.id, policy.case_visibility(current_user))
        .order_by(Complaint.received_at)).all()
    household_visits = session.scalars(select(HouseholdVisit).where(
        HouseholdVisit.household_id == household.id).order_by(HouseholdVisit.quarter.desc())).all()
    phone = (components().vault.open(household.phone_sealed, "household-phone", f"household/{household.id}")
             if household.phone_sealed else None)
    photos = session.execute(select(HouseholdPhoto.id, HouseholdPhoto.purpose).where(
        HouseholdPhoto.household_id == household.id).order_by(HouseholdPhoto.id)).all()
    return render_template(
        "staff/household.html", household=household, name=_head_name(household), phone=phone,
        history=history, visible={case.id for case in history}, visits=household_visits,
        photos=photos, form=form or VisitForm(), error=error,
        helpers=township_helpers(session, household.township_id), results=list(VisitResult))
