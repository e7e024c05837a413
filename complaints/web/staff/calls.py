"""The hotline operators' console: the voicemail queue, logging a call, finding a caller's cases."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from complaints.calendar.deadlines import expected_resolution
from complaints.cases import policy
from complaints.cases.callbacks import calls_due, may_call, number_to_call, record_call
from complaints.cases.public import review_facts
from complaints.cases.queries import cases_of_caller
from complaints.cases.routing_override import OverrideError
from complaints.cases.rules import TransitionError
from complaints.core.clock import now_utc
from complaints.core.identity import InvalidPhoneError, normalise_phone
from complaints.core.messages import t
from complaints.core.vocabulary import Channel, HouseholdType, HouseStructure
from complaints.db.models import CallLog, Complaint, InboundSms
from complaints.intake.calls import VOICEMAIL, LoggedCall, log_call, preview
from complaints.intake.filing import (
    FilingError,
    NewComplaint,
    code_for_token,
    find_by_submission_token,
)
from complaints.intake.sms import SET_ASIDE, SMS_FROM, set_aside, wait_again
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.limits import RateLimit, rate_limited
from complaints.web.security import keyed_digest, security_event
from complaints.web.staff.forms import CallBackForm, CallForm, RetrySmsForm

bp = Blueprint("calls", __name__, url_prefix="/staff/calls")
RECENT = 30
PHONE_MAX = 32


def _searched_phone() -> str:
    return (request.args.get("phone") or "").strip()[:PHONE_MAX]


def _searches() -> bool:
    return bool(_searched_phone())


def _account_key() -> str:
    return f"caller-search-account:{current_user.get_id()}"


# A masked number is ten thousand searches from the whole one: searches are few, and logged.
SEARCH_LIMITS = (
    RateLimit("caller_search_limit_per_account", scope="caller-search-account",
              key=_account_key, methods=("GET",), applies_when=_searches),
    RateLimit("caller_search_limit_per_address", scope="caller-search-address",
              methods=("GET",), applies_when=_searches),
)


@bp.before_request
@login_required
def operators_only() -> None:
    if not policy.can_log_calls(current_user):
        abort(404)


@bp.route("/")
@rate_limited(*SEARCH_LIMITS)
def queue() -> str:
    session = db_session()
    vault = components().vault
    voicemails = session.scalars(select(CallLog).where(CallLog.state == VOICEMAIL)
                                 .order_by(CallLog.called_at).limit(RECENT)).all()
    mine = session.scalars(select(CallLog).where(CallLog.operator_id == current_user.id)
                           .order_by(CallLog.called_at.desc()).limit(RECENT)).all()
    phone = _searched_phone()
    found: list[Complaint] = []
    phone_error = number = None
    if phone:
        try:
            number = normalise_phone(phone)
        except InvalidPhoneError:
            phone_error = t("report.error.phone")
        if number is not None:
            # What this user may see, and never a misconduct report (see cases_of_caller).
            found = cases_of_caller(session, vault, current_user, number)
        # The number only as a keyed digest: the same number searched again is recognisable.
        security_event("caller searched", level=logging.INFO, user=current_user.username,
                       phone=keyed_digest(number or phone), found=len(found))
    callers = {call.id: vault.open(call.caller_sealed, "caller") if call.caller_sealed else ""
               for call in voicemails}
    texts = set_aside(session)
    senders = {message.id: vault.open(message.from_sealed, SMS_FROM) for message in texts}
    return render_template("staff/calls.html", voicemails=voicemails, mine=mine, found=found,
                           phone=phone, phone_error=phone_error, callers=callers,
                           set_aside=texts, senders=senders, retry_form=RetrySmsForm())


@bp.route("/sms/<int:message_id>/retry", methods=["POST"])
def retry_sms(message_id: int) -> BaseResponse:
    """A set-aside SMS back to the worker, once what stopped it is fixed (the log says what)."""
    if not RetrySmsForm().validate_on_submit():
        abort(400)
    flash(t("call.retried", count=wait_again(db_session(), [message_id])))
    return redirect(url_for("calls.queue"))


@bp.route("/new", methods=["GET", "POST"])
def new_call() -> str | tuple[str, int]:
    tools = components().tools
    form = CallForm(tools.table)
    voicemail = None
    if request.method == "GET" and request.args.get("voicemail", "").isdigit():
        voicemail = db_session().get(CallLog, int(request.args["voicemail"]))
        if voicemail is not None and voicemail.state == VOICEMAIL:
            form.voicemail_id.data = str(voicemail.id)
            if voicemail.caller_sealed:
                form.caller.data = tools.vault.open(voicemail.caller_sealed, "caller")
    if request.method == "GET" and request.args.get("sms", "").isdigit():
        text = db_session().get(InboundSms, int(request.args["sms"]))
        if text is not None and text.kind == SET_ASIDE:
            form.sms_id.data = str(text.id)
            form.caller.data = tools.vault.open(text.from_sealed, SMS_FROM)
            form.summary.data = text.body
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("staff/call_new.html", form=form, decision=None), status
    saved = find_by_submission_token(db_session(), form.submission_token.data)
    if saved is not None:  # the same form again: show what was saved, file nothing new
        return _saved_page(saved, code_for_token(tools.vault, form.submission_token.data),
                           sms=bool(form.send_sms.data))
    call = _logged_call(form)
    if "preview" in request.form:  # show the routing decision, keep everything typed
        return render_template("staff/call_new.html", form=form, decision=preview(tools, call))
    try:
        filed = log_call(db_session(), tools, current_user, call)
    except (FilingError, OverrideError) as error:
        discard_changes()  # the call was filed but its override refused: keep neither
        field = getattr(form, {"reporter_phone": "caller", "description": "summary"}.get(
            error.field, error.field), None) or form.summary
        field.errors.append(t("call.error", field=error.field))
        return render_template("staff/call_new.html", form=form, decision=None), 400
    return _saved_page(filed.complaint, filed.query_code, sms=bool(form.send_sms.data))


def _saved_page(complaint: Complaint, code: str, sms: bool) -> str:
    tools = components().tools
    return render_template("staff/call_saved.html", complaint=complaint, code=code, sms=sms,
                           expected=expected_resolution(
                               complaint, tools.table.deadlines_for(complaint.category),
                               tools.calendar).at)


def _logged_call(form: CallForm) -> LoggedCall:
    voicemail, sms = form.voicemail_id.data, form.sms_id.data
    return LoggedCall(
        complaint=NewComplaint(
            channel=Channel.HOTLINE, description=form.summary.data or "",
            township_slug=form.township.data or None, village=form.village.data,
            address=form.address.data, category=form.category.data or None,
            house_structure=HouseStructure(form.structure.data or "unknown"),
            household_type=HouseholdType(form.household.data or "unknown"),
            alleges_misconduct=bool(form.misconduct.data),
            reporter_phone=(form.caller.data or "").strip() or None,
            receipt_by_sms=bool(form.send_sms.data),
            submission_token=form.submission_token.data or None,
        ),
        duration_seconds=(form.duration.data or 0) * 60 or None,
        unit_override=form.unit_override.data or None,
        override_reason=form.override_reason.data,
        voicemail_id=int(voicemail) if voicemail and voicemail.isdigit() else None,
        sms_id=int(sms) if sms and sms.isdigit() else None,
    )


@bp.route("/callbacks")
def callbacks() -> str:
    """回访: the reporters to call, who gave a phone and did not answer the resolution SMS."""
    due = calls_due(db_session(), components().tools, now_utc())
    return render_template("staff/callbacks.html", cases=due, numbers={}, form=CallBackForm())


@bp.route("/callbacks/<tracking_number>/number", methods=["POST"])
def callback_number(tracking_number: str) -> str:
    """The number to dial, shown on a request that is recorded (as any view of an identity)."""
    complaint = _callable_or_404(tracking_number)
    if not CallBackForm().validate_on_submit():
        abort(400)
    number = number_to_call(db_session(), components().tools, complaint, current_user)
    due = calls_due(db_session(), components().tools, now_utc())
    return render_template("staff/callbacks.html", cases=due,
                           numbers={complaint.tracking_number: number}, form=CallBackForm())


@bp.route("/callbacks/<tracking_number>", methods=["POST"])
def callback_done(tracking_number: str) -> BaseResponse | tuple[str, int]:
    complaint = _callable_or_404(tracking_number)
    form = CallBackForm()
    if not form.validate_on_submit():
        abort(400)
    if form.reached.data not in ("yes", "no"):  # not said: never taken for "nobody answered"
        due = calls_due(db_session(), components().tools, now_utc())
        return render_template("staff/callbacks.html", cases=due, numbers={}, form=form,
                               error=t("callback.reached_required")), 400
    try:
        dispute = record_call(db_session(), components().tools, complaint, current_user, form.result())
    except TransitionError as error:
        discard_changes()
        due = calls_due(db_session(), components().tools, now_utc())
        return render_template("staff/callbacks.html", cases=due, numbers={}, form=form,
                               error=error.message), 409
    if dispute is not None and dispute.review is not None:
        flash(t("callback.review_asked", number=tracking_number,
                **review_facts(dispute.review, components().table)))
    else:
        flash(t("callback.recorded", number=tracking_number))
    return redirect(url_for("calls.callbacks"))


def _callable_or_404(tracking_number: str) -> Complaint:
    complaint = db_session().scalar(select(Complaint).where(Complaint.tracking_number == tracking_number))
    if complaint is None or not may_call(complaint):
        abort(404)
    return complaint
