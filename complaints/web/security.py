"""CSRF on every form, staff logins, and the headers every answer carries."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from complaints.core.logs import security, source_digest
from complaints.core.messages import t
from complaints.db.models import User
from complaints.web.boundary import components, db_session

csrf = CSRFProtect()
login_manager = LoginManager()

# Pages that can show reporters' identities: kept out of every cache.


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = t("auth.login_required")
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    app.after_request(_security_headers)


def security_event(event: str, *, level: int = logging.WARNING, **fields: object) -> None:
    """A security event of this request, with its client as a keyed digest (no address)."""
    security(event, level=level, source=keyed_digest(request.remote_addr), **fields)


def keyed_digest(value: str | None) -> str:
    """A value that may identify someone, as a short digest keyed with the app's secret."""
    return source_digest(value, current_app.config["SECRET_KEY"].encode())


def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db_session().get(User, int(user_id))
    return user if user is not None and user.is_active else None


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
