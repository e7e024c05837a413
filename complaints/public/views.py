from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from complaints.web import db_session

bp = Blueprint("public", __name__)


@bp.route("/")
def home() -> str:
    return render_template("public/home.html")


@bp.route("/healthz")
def health() -> tuple[dict[str, str], int]:
    """For the load balancer: the app is up and its database answers."""
    db_session().execute(text("SELECT 1"))
    return {"status": "ok"}, 200
