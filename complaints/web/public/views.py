"""The pages residents use: report, receipt, status. Thin: checks, then one operation."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.wrappers import Response as BaseResponse

from complaints.cases.operations import ActionRequest, perform, reporter_answers
from complaints.cases.public import public_timeline, reporter_due, review_facts
from complaints.cases.public import receipt as receipt_facts
from complaints.cases.rules import Relation, TransitionError
from complaints.core.clock import now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import CaseStatus, Channel, EventKind, HouseholdType, HouseStructure
from complaints.db.models import Complaint
from complaints.intake import captcha
from complaints.intake.filing import (
    FilingError,
    NewComplaint,
    code_for_token,
    file_complaint,
    find_by_code,
    find_by_submission_token,
    photo_attachment,
    photos_left,
)
from complaints.intake.photos import (
    MAX_PHOTOS,
    MAX_PHOTOS_PER_CASE,
)
from complaints.routing.table import FALLBACK_CATEGORY
from complaints.web.boundary import components, db_session, discard_changes
from complaints.web.limits import RateLimit, rate_limited
from complaints.web.public.forms import FeedbackForm, MessageForm, ReportForm, StatusForm
from complaints.web.security import keyed_digest, security_event
from complaints.web.uploads import cleaned_photos

bp = Blueprint("public", __name__)

REPORTER = frozenset({Relation.REPORTER})


def _failed(_response: Response) -> bool:
    return bool(g.get("lookup_failed"))


def _case_key() -> str:
    return "status-case:" + request.form.get("tracking_number", "").strip().upper()[:20]


OPENED = "opened_cases"  # in the session: digests of the tracking numbers this browser opened
FORMS_GIVEN = "forms_given"  # in the session: digests of the form tokens this browser was given
FORMS_REMEMBERED = 5
RECEIPT_CODE = "receipt-query-code"  # the vault's purpose for the code held in the session


def _not_opened_here_before() -> bool:
    """A stranger's wrong codes must not lock the reporter out: the per-number limit spares a
    browser that has already opened this case with its code (the reporter's own phone)."""
    number = request.form.get("tracking_number", "").strip().upper()[:20]
    return keyed_digest(number) not in session.get(OPENED, [])


# One budget for every page that opens a case with its code (a guess is a guess wherever
# it is typed).
STATUS_LIMITS = (
    RateLimit("status_limit_per_address", scope="status-address", count_when=_failed, shared=True),
    RateLimit("status_limit_per_case", scope="status-case", key=_case_key, count_when=_failed,
              applies_when=_not_opened_here_before, shared=True),
)


@bp.route("/")
def home() -> str:
    return render_template("public/home.html", status_form=StatusForm())


def _filed(_response: Response) -> bool:
    return bool(g.get("filed"))


def _needs_a_new_picture() -> bool:
    return request.method == "GET" and not _current_digits()


@bp.route("/report", methods=["GET", "POST"])
# Only complaints actually filed count: a mistyped captcha or a new picture costs nothing.
# Each new form is a new challenge: a stranger's script is limited as the pictures are.
@rate_limited(RateLimit("report_limit_per_address", scope="report", count_when=_filed),
              RateLimit("captcha_limit_per_address", scope="report-form", methods=("GET",),
                        applies_when=_needs_a_new_picture))
def report() -> str | BaseResponse | tuple[str, int]:
    tools = components().tools
    form = ReportForm(tools.table)
    if request.method == "GET":
        return _report_page(form)
    if request.form.get("new_captcha"):  # "换一张" without JavaScript: keep what was typed
        return _report_page(form)
    valid = form.validate_on_submit()
    # Photos are decoded before the request touches the database: on SQLite a transaction
    # holds the whole file from its start, and decoding takes a while.
    photos, refused = cleaned_photos(form.photos)
    token = form.submission_token.data or ""
    already = _case_with_token(token)
    if already is not None:  # the same form sent twice: one complaint, the same receipt
        session["receipt"] = _receipt(already, _code_for_resent(token))
        return redirect(url_for("public.receipt"))
    if refused:
        form.photos.errors.append(refused)
    if not valid or refused:
        return _report_page(form), 400
    if not captcha.check_answer(db_session(), components().vault, session.pop("captcha", None),
                                form.captcha.data or "", components().settings.captcha_test_answer):
        form.captcha.errors.append(t("report.error.captcha_wrong"))
        return _report_page(form), 400
    anonymous = form.anonymous.data
    new = NewComplaint(
        channel=Channel.WEB,
        description=form.description.data or "",
        township_slug=form.township.data or None,
        village=form.village.data,
        address=form.address.data,
        category=None if form.category.data in (None, "", FALLBACK_CATEGORY) else form.category.data,
        house_structure=HouseStructure(form.structure.data or "unknown"),
        household_type=HouseholdType(form.household.data or "unknown"),
        alleges_misconduct=bool(form.misconduct.data),
        reporter_name=None if anonymous else form.name.data,
        reporter_phone=None if anonymous else form.phone.data,
        photos=tuple(photos),
        submission_token=token[:64] or None,
        receipt_by_sms=True,
    )
    try:
        filed = file_complaint(db_session(), tools, new)
    except FilingError as error:
        field = {"reporter_phone": "phone", "reporter_name": "name"}.get(error.field, error.field)
        getattr(form, field, form.description).errors.append(t(f"report.error.{field}"))
        return _report_page(form), 400  # filing wrote nothing; the used captcha stays used
    except IntegrityError:  # a twin of this submission committed first
        discard_changes()
        twin = _case_with_token(token)
        if twin is not None:
            session["receipt"] = _receipt(twin, _code_for_resent(token))
        return redirect(url_for("public.receipt"))
    g.filed = True
    complaint = filed.complaint
    session["receipt"] = _receipt(complaint, filed.query_code)
    return redirect(url_for("public.receipt"))


@bp.route("/receipt")
def receipt() -> BaseResponse:
    shown = session.get("receipt")
    if not shown:
        return redirect(url_for("public.home"))
    # The query code is shown once: a refresh shows the number only.
    session["receipt"] = {**shown, "code": None}
    code = shown.get("code")
    shown = {**shown, "code": components().vault.open(code, RECEIPT_CODE) if code else None}
    return _private(render_template("public/receipt.html", receipt=shown))


@bp.route("/captcha.png")
@rate_limited(RateLimit("captcha_limit_per_address", scope="captcha", methods=("GET",)))
def captcha_image() -> Response:
    digits = _current_digits() or _new_digits()
    return _private(Response(captcha.image_png(digits), mimetype="image/png"))


@bp.route("/captcha.wav")
@rate_limited(RateLimit("captcha_limit_per_address", scope="captcha", methods=("GET",)))
def captcha_audio() -> Response:
    digits = _current_digits() or _new_digits()
    return _private(Response(captcha.audio_wav(digits), mimetype="audio/wav"))


@bp.route("/status", methods=["GET", "POST"])
@rate_limited(*STATUS_LIMITS)
def status() -> Response | tuple[Response, int]:
    form = StatusForm()
    if request.method == "GET":
        return _private(render_template("public/status_lookup.html", form=form))
    complaint = _opened(form)
    if complaint is None:
        return _private(render_template("public/status_lookup.html", form=form)), 400
    return _status_page(complaint, form)


@bp.route("/status/message", methods=["POST"])
@rate_limited(*STATUS_LIMITS)
def status_message() -> Response | tuple[Response, int]:
    form = MessageForm()
    photos, refused = cleaned_photos(form.photos)  # before the database: see report()
    complaint = _opened(form)
    if complaint is None:
        return _private(render_template("public/status_lookup.html", form=form)), 400
    if not refused and len(photos) > photos_left(complaint):
        refused = t("photo.error.case-full", most=MAX_PHOTOS_PER_CASE, left=photos_left(complaint))
    if refused:
        form.photos.errors.append(refused)
    if form.errors:
        return _status_page(complaint, form, code=400)
    try:
        perform(db_session(), components().tools, complaint,
                ActionRequest(EventKind.REPORTER_MESSAGE, reason=form.text.data), REPORTER)
    except TransitionError as error:  # e.g. the case was closed while the page was open
        discard_changes()
        form.text.errors.append(error.message)
        return _status_page(complaint, form, code=409)
    for photo in photos:
        complaint.attachments.append(photo_attachment(photo))
    message_form = MessageForm(formdata=None, tracking_number=complaint.tracking_number,
                               query_code=form.query_code.data)
    return _status_page(complaint, message_form, sent=t("status_page.sent"))


@bp.route("/status/feedback", methods=["POST"])
@rate_limited(*STATUS_LIMITS)
def status_feedback() -> Response | tuple[Response, int]:
    """A resolved case's reporter says whether it was fixed (not fixed asks for a review, as by
    SMS)."""
    form = FeedbackForm()
    complaint = _opened(form)
    if complaint is None:
        return _private(render_template("public/status_lookup.html", form=form)), 400
    if form.errors:
        return _status_page(complaint, form, code=400)
    tools = components().tools
    try:
        dispute = reporter_answers(
            db_session(), tools, complaint, fixed=form.fixed.data == "yes",
            satisfaction=int(form.satisfaction.data) if form.satisfaction.data else None,
            note=t("feedback.not_fixed"))
    except TransitionError as error:  # answered already, or the case moved on meanwhile
        discard_changes()
        form.fixed.errors.append(error.message)
        return _status_page(complaint, form, code=409)
    if dispute is None:
        sent = t("feedback.thanks")
    elif dispute.review is not None:
        sent = t("feedback.review_asked", **review_facts(dispute.review, tools.table))
    else:
        sent = t("feedback.review_refused", why=dispute.refused.message if dispute.refused else "")
    return _status_page(complaint, StatusForm(formdata=None, query_code=form.query_code.data),
                        sent=sent)


@bp.route("/healthz")
def health() -> tuple[dict[str, str], int]:
    """For the load balancer: the app is up, and whether its database answers."""
    try:
        db_session().execute(text("SELECT 1"))
    except (OperationalError, InterfaceError):
        discard_changes()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200


def _report_page(form: ReportForm) -> str:
    if not form.submission_token.data:
        form.submission_token.data = secrets.token_urlsafe(24)
        session[FORMS_GIVEN] = [*session.get(FORMS_GIVEN, []), keyed_digest(
            form.submission_token.data)][-FORMS_REMEMBERED:]
    # A reload keeps its picture; a new form after a POST gets a new one. Neither writes.
    if request.method != "GET" or not _current_digits():
        _new_digits()
    # A form shown again cannot keep the files it was sent: say so when there were some.
    dropped = request.method == "POST" and any(
        upload.filename for upload in request.files.getlist(form.photos.name))
    return render_template("public/report.html", form=form, max_photos=MAX_PHOTOS,
                           picture=secrets.token_hex(4), photos_dropped=dropped)


def _current_digits() -> str | None:
    """The digits of the picture this browser was shown, while it is still valid."""
    return captcha.current_digits(components().vault, session.get("captcha"))


def _new_digits() -> str:
    sealed = captcha.new_challenge(components().vault)
    session["captcha"] = sealed
    return captcha.current_digits(components().vault, sealed) or ""


def _case_with_token(token: str) -> Complaint | None:
    return find_by_submission_token(db_session(), token)


def _receipt(complaint: Complaint, code: str | None) -> dict[str, str | bytes | None]:
    """The receipt's facts for the session, the query code sealed: the cookie is signed, not
    encrypted, and the code opens the case."""
    tools = components().tools
    facts: dict[str, str | bytes | None] = dict(receipt_facts(complaint, code or "", tools.table,
                                                              tools.calendar))
    facts["code"] = tools.vault.seal(code, RECEIPT_CODE) if code else None
    return facts


def _code_for_resent(token: str) -> str | None:
    """A form sent again shows its code again only to the browser the form was given to (the
    first answer lost on a slow line), never to someone replaying the token elsewhere."""
    if keyed_digest(token) not in session.get(FORMS_GIVEN, []):
        return None
    return code_for_token(components().vault, token[:64])


def _opened(form: StatusForm) -> Complaint | None:
    """The case the posted number and code open; only those two fields (and CSRF) count here."""
    form.validate_on_submit()
    if {"csrf_token", "tracking_number", "query_code"} & set(form.errors):
        g.lookup_failed = True
        return None
    complaint = find_by_code(db_session(), components().vault, form.tracking_number.data or "",
                             form.query_code.data or "")
    if complaint is None:
        g.lookup_failed = True
        security_event("query code refused")
        form.query_code.errors.append(t("status_page.not_found"))
        return None
    opened = session.get(OPENED, [])
    digest = keyed_digest(complaint.tracking_number)
    if digest not in opened:
        session[OPENED] = [*opened, digest][-20:]
    return complaint


def _status_page(complaint: Complaint, form: StatusForm, *, code: int = 200,
                 sent: str | None = None) -> Response:
    """The case page; ``form`` is the one just sent (with its errors), ``sent`` what it did."""
    code_given = form.query_code.data
    message_form = form if isinstance(form, MessageForm) else MessageForm(
        formdata=None, tracking_number=complaint.tracking_number, query_code=code_given)
    feedback_form = None
    if complaint.status is CaseStatus.RESOLVED:  # asked until answered
        feedback_form = form if isinstance(form, FeedbackForm) else FeedbackForm(
            formdata=None, tracking_number=complaint.tracking_number, query_code=code_given)
    tools = components().tools
    current = complaint.merged_into or complaint  # a report merged into another follows it
    page = render_template(
        "public/status.html", complaint=complaint, current=current, form=message_form, sent=sent,
        feedback_form=feedback_form,
        due=reporter_due(current, tools.table.deadlines_for(current.category), tools.calendar),
        timeline=public_timeline(complaint, tools.table), now=now_utc(),
        unit=current.responsible_unit.name if current.responsible_unit else None,
    )
    return _private(Response(page, status=code))


def _private(response: Response | str) -> Response:
    """Receipts and case pages hold a query code or a case: never cached anywhere."""
    response = response if isinstance(response, Response) else Response(response)
    response.headers["Cache-Control"] = "no-store"
    return response
