"""Error pages in Chinese for people, and the API's own error format under its prefix."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, Response, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from complaints.core.messages import t

PAGE_CODES = (400, 403, 404, 405, 413, 500)
# How long a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def init_before_limits(app: Flask) -> None:
    """Registered before the rate limiter, so that it runs after the limiter's headers: during
    an outage the wait is the outage's, not a rate limit's window."""
    @app.after_request
    def outage_wait(response: Response) -> Response:
        if g.get("database_unreachable"):
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def init_app(app: Flask, limiter: Limiter) -> None:
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

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(_error: Exception) -> ResponseReturnValue:
        # Someone else acted on the same case a moment before: nothing of this request was
        # kept; the page says so and the person tries again on what is there now.
        api = _api_error_answer(app)
        if api is not None:
            return api(409)
        return render_template("error.html", title=t("error.409_title"), message=t("error.409"),
                               code=409), 409

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(_error: Exception) -> ResponseReturnValue:
        # The database is down or locked: a 503 the client may retry, never a 500. Nothing of
        # this request was kept (the boundary rolled it back), and the page says so.
        api = _api_error_answer(app)
        response = (api(503) if api is not None else Response(
            render_template("error.html", title=t("error.503_title"), message=t("error.503"),
                            code=503), status=503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        g.database_unreachable = True
        return response

    for code in PAGE_CODES:
        app.register_error_handler(code, _error_page(app, code))


def _api_error_answer(app: Flask) -> Callable[..., Response] | None:
    """For paths under a machine-facing blueprint's ``error_prefix`` (an API), its own
    ``error_answer(status, wait_minutes=None)`` instead of a page for people."""
    for blueprint in app.blueprints.values():
        prefix = getattr(blueprint, "error_prefix", None)
        if prefix and request.path.startswith(prefix):
            return blueprint.error_answer  # type: ignore[attr-defined]
    return None


def _error_page(app: Flask, code: int) -> Callable[[Exception], ResponseReturnValue]:
    def handler(_error: Exception) -> ResponseReturnValue:
        api = _api_error_answer(app)
        if api is not None:
            return api(code)
        return render_template("error.html", title=t(f"error.{code}_title"),
                               message=t(f"error.{code}"), code=code), code

    return handler
