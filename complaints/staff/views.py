"""Staff pages. Thin: each asks ``complaints.policy`` what the user may see."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from complaints import policy
from complaints.auth.forms import LogoutForm
from complaints.identity import mask_phone
from complaints.messages import t
from complaints.routing.override import OverrideError, override_routing
from complaints.staff.forms import RoutingOverrideForm
from complaints.models import Complaint, User
from complaints.web import db_session, services

bp = Blueprint("staff", __name__, url_prefix="/staff")

DASHBOARD_ROWS = 50


@bp.before_request
@login_required
def require_login() -> None:
    """Every staff page needs a logged-in account; Flask-Login redirects the rest."""


@bp.context_processor
def logout_form() -> dict[str, object]:
    return {"logout_form": LogoutForm()}


@bp.route("/")
def dashboard() -> str:
    session = db_session()
    visible = policy.case_visibility(current_user)
    cases = session.scalars(
        select(Complaint)
        .where(visible)
        .options(selectinload(Complaint.responsible_unit), selectinload(Complaint.township))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(DASHBOARD_ROWS)
    ).all()
    counts = {
        status: count
        for status, count in session.execute(
            select(Complaint.status, func.count()).where(visible).group_by(Complaint.status)
        )
    }
    users = (
        session.scalars(select(User).order_by(User.role, User.username)).all()
        if policy.can_manage_users(current_user)
        else []
    )
    return render_template(
        "staff/dashboard.html", cases=cases, counts=counts, users=users,
        total=sum(counts.values()),
    )


@bp.route("/cases/<tracking_number>")
def case_detail(tracking_number: str) -> str:
    return _case_page(_visible_case_or_404(tracking_number))


@bp.route("/cases/<tracking_number>/routing", methods=["POST"])
def override_case_routing(tracking_number: str) -> Response | tuple[str, int]:
    complaint = _visible_case_or_404(tracking_number)
    if not policy.can_override_routing(current_user):
        abort(403)
    form = RoutingOverrideForm(services().table)
    if form.validate_on_submit():
        try:
            override_routing(
                db_session(), services().router, complaint, current_user,
                category=form.category.data, lead_unit=form.lead_unit.data,
                co_units=form.co_units.data or [], reason=form.reason.data or "",
            )
        except OverrideError as error:
            field = getattr(form, error.field, None)
            (field.errors if field is not None else form.form_errors).append(  # type: ignore[union-attr]
                t(f"routing.error.{error.field}")
            )
        else:
            flash(t("routing.overridden"))
            return redirect(url_for("staff.case_detail", tracking_number=tracking_number))
    return _case_page(complaint, override_form=form), 400


def _case_page(complaint: Complaint, override_form: RoutingOverrideForm | None = None) -> str:
    access = policy.identity_access(current_user, complaint)
    if override_form is None and policy.can_override_routing(current_user):
        routing = complaint.routing or {}
        override_form = RoutingOverrideForm(
            services().table, formdata=None, category=complaint.category,
            lead_unit=routing.get("lead_unit"), co_units=routing.get("co_units", []),
        )
    return render_template(
        "staff/case.html", complaint=complaint, reporter=_reporter_view(complaint, access),
        override_form=override_form,
    )


def _visible_case_or_404(tracking_number: str) -> Complaint:
    complaint = db_session().scalar(
        select(Complaint).where(Complaint.tracking_number == tracking_number)
    )
    # Not found and not allowed look the same, so tracking numbers cannot be probed.
    if complaint is None or not policy.can_see_case(current_user, complaint):
        abort(404)
    return complaint


def _reporter_view(complaint: Complaint, access: policy.IdentityAccess) -> dict[str, str] | None:
    reporter = complaint.reporter
    if reporter is None or access is policy.IdentityAccess.NONE:
        return None
    vault = services().vault
    phone = vault.open(reporter.phone_sealed, "reporter-phone") if reporter.phone_sealed else None
    if access is policy.IdentityAccess.MASKED:
        return {"name": "", "phone": mask_phone(phone) if phone else ""}
    name = vault.open(reporter.name_sealed, "reporter-name") if reporter.name_sealed else ""
    return {"name": name, "phone": phone or ""}
