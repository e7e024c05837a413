"""The request boundary: one database session per request, committed once.

Views call operations that flush; here the session is committed when the
response is a success and rolled back otherwise, so a failed request leaves no
half-written case and queues no message. Also: the Flask extensions, the error
pages, and what every template can use.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from complaints.clock import deadline_day, to_local
from complaints.messages import t
from complaints.models import User
from complaints.services import Services

HOTLINE = "0596-8525603"

F = TypeVar("F", bound=Callable[..., Any])

csrf = CSRFProtect()
login_manager = LoginManager()


@dataclass(frozen=True)
class RateLimit:
    """A limit on one view, declared beside it with ``@rate_limited``.

    ``setting`` names the Settings attribute that holds the limit, so operators
    tune limits through configuration. The limiter is built per app (see
    ``init_app``) so that each app's storage and key prefix stay its own.
    """

    setting: str
    scope: str
    key: Callable[[], str] = get_remote_address
    methods: tuple[str, ...] = ("POST",)
    count_when: Callable[[Response], bool] | None = None


def rate_limited(*limits: RateLimit) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.rate_limits = limits  # type: ignore[attr-defined]
        return view

    return mark


def _apply_rate_limits(app: Flask, limiter: Limiter) -> None:
    for endpoint, view in list(app.view_functions.items()):
        wrapped = view
        for limit in getattr(view, "rate_limits", ()):
            wrapped = limiter.limit(
                partial(_limit_value, limit.setting), key_func=limit.key,
                methods=list(limit.methods), scope=limit.scope, deduct_when=limit.count_when,
            )(wrapped)
        app.view_functions[endpoint] = wrapped


def _limit_value(setting: str) -> str:
    return getattr(services().settings, setting)


def services() -> Services:
    return current_app.extensions["complaints"]


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = services().session_factory()
    return g.db_session


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: rate limits wrap their views."""
    csrf.init_app(app)
    limiter = Limiter(key_func=get_remote_address, app=app)
    _apply_rate_limits(app, limiter)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = t("auth.login_required")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db_session().get(User, int(user_id))
        return user if user is not None and user.is_active else None

    @app.after_request
    def commit_on_success(response: Response) -> Response:
        session = g.get("db_session")
        if session is not None:
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        # Everything the pages need comes from this app; nothing may frame them.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.blueprint in ("staff", "auth", "calls"):
            # Staff pages can show reporters' identities: keep them out of caches.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.teardown_request
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title=t("error.csrf_title"),
                               message=t("error.csrf"), code=400), 400

    @app.errorhandler(429)
    def too_many(error: HTTPException) -> ResponseReturnValue:
        limit = limiter.current_limit
        wait = max(1, math.ceil((limit.reset_at - time.time()) / 60)) if limit else 15
        api = _api_error_answer(app)
        if api is not None:
            return api(429, wait)
        return render_template("error.html", title=t("error.rate_limited_title"),
                               message=t("error.rate_limited", minutes=wait), code=429), 429

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page(app, code))

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        table = services().table
        return {
            "t": t,
            "HOTLINE": HOTLINE,
            "category_name": lambda slug: table.category(slug).name if slug else t("case.none"),
            "unit_name": lambda slug: table.unit(slug).name,
        }

    app.jinja_env.filters["category_label"] = lambda slug: services().table.category(slug).name

    app.jinja_env.filters["local_time"] = lambda moment: (
        to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
    )
    # Deadlines are the end of a local day: show that day, not the next midnight.
    app.jinja_env.filters["deadline"] = lambda moment: (
        t("case.deadline_day", day=f"{deadline_day(moment):%Y-%m-%d}") if moment else ""
    )


def _api_error_answer(app: Flask) -> Callable[..., Response] | None:
    """For paths under a machine-facing blueprint's ``error_prefix`` (an API), its own
    ``error_answer(status, wait_minutes=None)`` instead of a page for people."""
    for blueprint in app.blueprints.values():
        prefix = getattr(blueprint, "error_prefix", None)
        if prefix and request.path.startswith(prefix):
            return blueprint.error_answer  # type: ignore[attr-defined, no-any-return]
    return None


def _error_page(app: Flask, code: int):  # type: ignore[no-untyped-def]
    def handler(_error: Exception) -> ResponseReturnValue:
        api = _api_error_answer(app)
        if api is not None:
            return api(code)
        return render_template("error.html", title=t(f"error.{code}_title"),
                               message=t(f"error.{code}"), code=code), code

    return handler
