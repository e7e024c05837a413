"""CSRF on every form, staff logins, and the headers every answer carries."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, Response, current_app, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response as BaseResponse

from complaints.accounts import second_factor
from complaints.accounts.sessions import SessionRules, end_session, resume_session, start_session
from complaints.cases import policy
from complaints.core.logs import security, source_digest
from complaints.core.messages import t
from complaints.db.models import User
from complaints.web.boundary import components, db_session

csrf = CSRFProtect()
login_manager = LoginManager()

# Pages that can show reporters' identities: kept out of every cache.


STAFF_PATH = "/staff"
STAFF_COOKIE = "staff_session"
STAFF_TOKEN = "staff_token"  # in the staff cookie: the server-side session's token


class SplitSessionInterface(SecureCookieSessionInterface):
    """Residents' and staff's sessions in separate cookies, as SecureDrop keeps them: the staff
    cookie goes only to /staff, and nothing of a resident's session is ever a staff session."""

    def get_cookie_name(self, app: Flask) -> str:
        return STAFF_COOKIE if _for_staff() else super().get_cookie_name(app)

    def get_cookie_path(self, app: Flask) -> str:
        return STAFF_PATH if _for_staff() else super().get_cookie_path(app)


def _for_staff() -> bool:
    return has_request_context() and (request.path == STAFF_PATH
                                      or request.path.startswith(STAFF_PATH + "/"))


def begin_staff_session(user: User) -> None:
    """After a successful login: a fresh cookie holding a new server-side session."""
    session.clear()
    session[STAFF_TOKEN] = start_session(db_session(), user)


def end_staff_session() -> None:
    end_session(db_session(), session.get(STAFF_TOKEN))
    session.clear()


def init_app(app: Flask) -> None:
    app.session_interface = SplitSessionInterface()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = t("auth.login_required")
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    app.before_request(_second_factor_gate)
    app.after_request(_security_headers)


# What an account that must enrol its second factor may still open.
_BEFORE_ENROLMENT = frozenset({"auth.second_factor_page", "auth.second_factor_start",
                               "auth.second_factor_confirm", "auth.logout", "static"})


def _second_factor_gate() -> BaseResponse | None:
    """The lead unit, the commission and administrators use nothing else until enrolled."""
    if (not _for_staff() or request.endpoint in _BEFORE_ENROLMENT
            or not current_user.is_authenticated):
        return None
    if policy.needs_second_factor(current_user) and not second_factor.is_enrolled(current_user):
        return redirect(url_for("auth.second_factor_page"))
    return None


def security_event(event: str, *, level: int = logging.WARNING, **fields: object) -> None:
    """A security event of this request, with its client as a keyed digest (no address)."""
    security(event, level=level, source=keyed_digest(request.remote_addr), **fields)


def keyed_digest(value: str | None) -> str:
    """A value that may identify someone, as a short digest keyed with the app's secret."""
    return source_digest(value, current_app.config["SECRET_KEY"].encode())


def _load_user(user_id: str) -> User | None:
    """The user of this cookie's server-side session, if it is still open."""
    if not _for_staff():
        return None
    settings = components().settings
    rules = SessionRules(idle=timedelta(minutes=settings.staff_idle_minutes),
                         lifetime=timedelta(hours=settings.staff_session_hours))
    user = resume_session(db_session(), session.get(STAFF_TOKEN), rules)
    return user if user is not None and user.get_id() == user_id else None


def _security_headers(response: Response) -> Response:
    # Everything the pages need comes from this app; nothing may frame them.
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
    response.headers.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if components().settings.secure_cookies:  # served over https: never over http again
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Nothing but the static files is kept by a browser or a proxy: pages carry form tokens,
    # receipts and cases; API answers carry numbers and states.
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response
