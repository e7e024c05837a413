"""Rate limits where a stranger can knock, declared beside each view with ``@rate_limited``.

The limiter is built per app so that each app's storage and key prefix stay its own; the
limits themselves are settings, so operators tune them through configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from flask import Flask, Response
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from complaints.web.boundary import components

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RateLimit:
    """A limit on one view. ``setting`` names the Settings attribute that holds it.

    ``count_when`` decides after the view whether its answer counts; ``applies_when`` decides
    before it whether the limit is checked at all (a page that only sometimes searches is
    neither counted nor refused when it does not). A limit is counted per view unless
    ``shared``: then every view declaring the same ``scope`` counts against one budget.
    """

    setting: str
    scope: str
    key: Callable[[], str] = get_remote_address
    methods: tuple[str, ...] = ("POST",)
    count_when: Callable[[Response], bool] | None = None
    applies_when: Callable[[], bool] | None = None
    shared: bool = False


def rate_limited(*limits: RateLimit) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.rate_limits = limits  # type: ignore[attr-defined]
        return view

    return mark


def _apply_rate_limits(app: Flask, limiter: Limiter) -> None:
    for endpoint, view in list(app.view_functions.items()):
        # Flask types a view as sync or async; the limiter wraps either, keeping its signature.
        wrapped: Callable[..., Any] = view
        for limit in getattr(view, "rate_limits", ()):
            value = partial(_limit_value, limit.setting)
            options: dict[str, Any] = {
                "key_func": limit.key, "methods": list(limit.methods),
                "deduct_when": limit.count_when, "exempt_when": _negated(limit.applies_when)}
            wrapped = (limiter.shared_limit(value, limit.scope, **options) if limit.shared
                       else limiter.limit(value, scope=limit.scope, **options))(wrapped)
        app.view_functions[endpoint] = wrapped


def _negated(applies: Callable[[], bool] | None) -> Callable[[], bool] | None:
    return None if applies is None else (lambda: not applies())


def _limit_value(setting: str) -> str:
    return getattr(components().settings, setting)


def init_app(app: Flask) -> Limiter:
    """Wrap every view that declared limits; the limiter is returned for the 429 page."""
    limiter = Limiter(key_func=get_remote_address, app=app)
    _apply_rate_limits(app, limiter)
    return limiter
