"""The request boundary: one database session per request, committed once.

Views validate, call operations that flush, and render or redirect. Every view runs
inside ``in_one_transaction``: when the view returns, whatever it did is committed,
whatever its status code (a wrong captcha answer is a 400 that must still use up the
challenge); when it raises, everything is rolled back, so a failed request leaves no
half-written case and queues no message. A view that shows a form again after an
operation refused it, and must keep nothing of what the operation did, says so with
``discard_changes()``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from complaints.components import Components


def components() -> Components:
    return current_app.extensions["complaints"]


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = components().session_factory()
    return g.db_session


def discard_changes() -> None:
    """Forget what this request has written so far (and expire what it loaded); what the
    view writes after this is kept as usual when it returns."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def in_one_transaction(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            answer = view(*args, **kwargs)
        except BaseException:
            discard_changes()
            raise
        session = g.get("db_session")
        if session is not None:
            # Before the answer leaves: if the commit fails, the client is not told it worked.
            session.commit()
        return answer

    return run


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered, before the rate limits wrap their views."""
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = in_one_transaction(view)

    @app.teardown_request
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()  # rolls back anything not committed (a failed error page, say)
