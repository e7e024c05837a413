"""Staff login and logout."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from complaints.accounts import PasswordRefused, authenticate, change_password, normalise_username
from complaints.core.messages import t
from complaints.web.auth.forms import LoginForm, LogoutForm, PasswordForm
from complaints.web.boundary import db_session
from complaints.web.limits import RateLimit, rate_limited
from complaints.web.security import (
    STAFF_TOKEN,
    begin_staff_session,
    end_staff_session,
    keyed_digest,
    security_event,
)

bp = Blueprint("auth", __name__, url_prefix="/staff")


def _login_account_key() -> str:
    # An account's failures count per address: a stranger's guesses slow the stranger, and
    # never lock out the account's owner, who logs in from elsewhere.
    account = normalise_username(request.form.get("username", ""))[:64]
    return f"login-account:{account}:{get_remote_address()}"


def _login_failed(_response: Response) -> bool:
    # Only failed attempts count against the limits; a colleague who logs in
    # and out all day is never locked out.
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@rate_limited(
    RateLimit("login_limit_per_address", scope="login-address", count_when=_login_failed),
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
        if user is not None:
            begin_staff_session(user)
            login_user(user)  # (the cookie lasts the browser's session; the server ends it sooner)
            return redirect(_safe_next(request.args.get("next")))
        g.login_failed = True
        # The account name only as a digest: people type passwords into the wrong box.
        security_event("login failed", account=keyed_digest(normalise_username(form.username.data or "")))
        error = t("auth.failed")
    elif request.method == "POST":
        g.login_failed = True
    return render_template("auth/login.html", form=form, error=error)


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
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("staff.dashboard")
