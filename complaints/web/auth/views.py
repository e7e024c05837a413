"""Staff login and logout."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import qrcode
from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage
from werkzeug.wrappers import Response as BaseResponse

from complaints.accounts import (
    PasswordRefused,
    authenticate,
    change_password,
    normalise_username,
    second_factor,
)
from complaints.cases import policy
from complaints.core.clock import now_utc
from complaints.core.messages import t
from complaints.db.models import User
from complaints.web.auth.forms import CodeForm, LoginForm, LogoutForm, PasswordForm
from complaints.web.boundary import components, db_session
from complaints.web.limits import RateLimit, rate_limited
from complaints.web.security import (
    STAFF_TOKEN,
    begin_staff_session,
    end_staff_session,
    keyed_digest,
    security_event,
)

bp = Blueprint("auth", __name__, url_prefix="/staff")

# Between a right password and its code: the account waiting, and since when.
PENDING_USER, PENDING_SINCE = "pending_user", "pending_since"
SECOND_STEP_SECONDS = 300


def _login_account_key() -> str:
    # An account's failures count per address: a stranger's guesses slow the stranger, and
    # never lock out the account's owner, who logs in from elsewhere.
    account = normalise_username(request.form.get("username", ""))[:64]
    return f"login-account:{account}:{get_remote_address()}"


def _login_failed(_response: Response) -> bool:
    # Only failed attempts count against the limits; a colleague who logs in
    # and out all day is never locked out.
    return bool(g.get("login_failed"))


# Password guesses and code guesses from one address count against one budget.
LOGIN_ADDRESS_LIMIT = RateLimit("login_limit_per_address", scope="login-address",
                                count_when=_login_failed, shared=True)


@bp.route("/login", methods=["GET", "POST"])
@rate_limited(
    LOGIN_ADDRESS_LIMIT,
    RateLimit("login_limit_per_account", scope="login-account", key=_login_account_key,
              count_when=_login_failed),
)
def login() -> str | BaseResponse:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(db_session(), form.username.data or "", form.password.data or "")
        if user is not None and second_factor.is_enrolled(user):
            # The password was right; the session starts only with the code.
            session.clear()
            session[PENDING_USER], session[PENDING_SINCE] = user.id, now_utc().timestamp()
            return redirect(url_for("auth.login_code", next=request.args.get("next")))
        if user is not None:
            return _logged_in(user)
        g.login_failed = True
        # The account name only as a digest: people type passwords into the wrong box.
        security_event("login failed", account=keyed_digest(normalise_username(form.username.data or "")))
        error = t("auth.failed")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form, error=error)


def _pending_account_key() -> str:
    return f"login-account:{session.get(PENDING_USER)}:{get_remote_address()}"


def _pending_account_only() -> str:
    # Whoever guesses codes has the password: new addresses bring no new guesses.
    return f"login-code:{session.get(PENDING_USER)}"


@bp.route("/login/code", methods=["GET", "POST"])
@rate_limited(
    LOGIN_ADDRESS_LIMIT,
    RateLimit("login_limit_per_account", scope="login-code", key=_pending_account_key,
              count_when=_login_failed),
    RateLimit("login_code_limit_per_account", scope="login-code-account", key=_pending_account_only,
              count_when=_login_failed),
)
def login_code() -> str | BaseResponse:
    """The second step of a login: the code from the phone, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.clear()
        flash(t("second_factor.expired"))
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if second_factor.check_code(db_session(), components().vault, user, form.code.data or ""):
            return _logged_in(user)
        g.login_failed = True
        security_event("second factor failed", account=keyed_digest(user.username))
        error = t("second_factor.error.wrong")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/code.html", form=form, error=error)


def _pending_user() -> User | None:
    """The account whose password was right a moment ago, waiting for its code."""
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, float):
        return None
    if now_utc().timestamp() - since > SECOND_STEP_SECONDS:
        return None
    user = db_session().get(User, user_id)
    return user if user is not None and user.is_active and second_factor.is_enrolled(user) else None


def _logged_in(user: User) -> BaseResponse:
    begin_staff_session(user)
    login_user(user)  # (the cookie lasts the browser's session; the server ends it sooner)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/second-factor")
@login_required
def second_factor_page() -> str:
    """Enrolment (required for some roles, see ``policy.needs_second_factor``) or its state."""
    user = current_user
    pending = second_factor.pending_enrolment(components().vault, user)
    return render_template(
        "auth/second_factor.html", enrolled=second_factor.is_enrolled(user), pending=pending,
        qr=_qr_svg(pending.uri) if pending else None, form=CodeForm(),
        required=policy.needs_second_factor(user),
        codes_left=second_factor.recovery_codes_left(db_session(), user))


@bp.route("/second-factor/start", methods=["POST"])
@login_required
def second_factor_start() -> BaseResponse:
    if LogoutForm().validate_on_submit() and not second_factor.is_enrolled(current_user):
        second_factor.begin_enrolment(components().vault, current_user)
    return redirect(url_for("auth.second_factor_page"))


@bp.route("/second-factor/confirm", methods=["POST"])
@login_required
@rate_limited(RateLimit("login_limit_per_address", scope="second-factor-address",
                        count_when=_login_failed))
def second_factor_confirm() -> str | BaseResponse:
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(db_session(), components().vault, current_user,
                                                    form.code.data or "")
        except second_factor.SecondFactorError as refused:
            g.login_failed = True
            flash(t(f"second_factor.error.{refused.code}"))
        else:
            security_event("second factor enrolled", level=logging.INFO,
                           account=keyed_digest(current_user.username))
            return render_template("auth/recovery_codes.html", codes=codes)
    return redirect(url_for("auth.second_factor_page"))


def _qr_svg(uri: str) -> Markup:
    """The enrolment QR code, drawn inline (the page's CSP allows no outside image)."""
    image = qrcode.make(uri, image_factory=SvgPathImage, box_size=8)
    return Markup(image.to_string(encoding="unicode"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> BaseResponse:
    if LogoutForm().validate_on_submit():
        logout_user()
        end_staff_session()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@rate_limited(RateLimit("login_limit_per_address", scope="password-address", count_when=_login_failed))
def password() -> str | BaseResponse:
    """Staff change their own password; their other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(db_session(), current_user, form.current.data or "", form.new.data or "",
                            keep_session=session.get(STAFF_TOKEN))
        except PasswordRefused as refused:
            g.login_failed = refused.code == "current"  # a wrong current password is a guess
            field = form.current if refused.code == "current" else form.new
            field.errors.append(t(f"password.error.{refused.code}"))
        else:
            security_event("password changed", level=logging.INFO,
                           account=keyed_digest(current_user.username))
            flash(t("password.changed"))
            return redirect(url_for("staff.dashboard"))
    return render_template("auth/password.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only follow a local path after login, never another host."""
    # Browsers read a backslash as a slash ("/\\evil.example" is "//evil.example").
    if target and target.isprintable() and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("staff.dashboard")
