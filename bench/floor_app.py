"""The floors for the write paths (issue 18): the least a signed SMS webhook, or a resident's
form, can cost.

A bare Flask app. For an SMS it checks the Twilio signature of the same form, stores one row
through the SQLAlchemy ORM with one commit on the same database, and answers minimal TwiML. For
the form it serves a minimal page with the same hidden fields, and on the POST parses the same
form, stores one row the same way and redirects to a minimal receipt, as the project does.
`bench/write_ratio.py` runs it under the same gunicorn settings as the project and drives both
with the same requests. Configured by the environment: DATABASE_URL, TWILIO_AUTH_TOKEN,
PUBLIC_BASE_URL.
"""

from __future__ import annotations

import os
from contextlib import suppress
from datetime import UTC, datetime

from flask import Flask, Response, abort, redirect, request
from sqlalchemy import DateTime, String
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from twilio.request_validator import RequestValidator

# The project's engine settings (SQLite: WAL, busy timeout, BEGIN IMMEDIATE), so that the floor
# and the project meet the database on the same terms; nothing else of the project is used.
from complaints.db.base import make_engine


class Base(DeclarativeBase):
    pass


class FloorMessage(Base):
    __tablename__ = "bench_floor_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64))
    sender: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(String(1600))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def create_app() -> Flask:
    url = os.environ["DATABASE_URL"]
    engine = make_engine(url)
    with suppress(DBAPIError):  # another worker, starting at the same moment, made the table
        Base.metadata.create_all(engine)

    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    public = os.environ["PUBLIC_BASE_URL"].rstrip("/")
    app = Flask(__name__)

    @app.post("/twilio/sms")
    def sms() -> Response:
        form = request.form.to_dict()
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(f"{public}/twilio/sms", form, signature):
            abort(403)
        with Session(engine) as session:
            session.add(FloorMessage(message_sid=form.get("MessageSid", ""), received_at=datetime.now(UTC),
                                     sender=form.get("From", ""), body=form.get("Body", "")))
            session.commit()
        twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>收到</Message></Response>'
        return Response(twiml, mimetype="text/xml")

    @app.get("/report")
    def form() -> str:
        return ('<form method="post"><input name="csrf_token" type="hidden" value="floor">'
                '<input name="submission_token" type="hidden" value="floor"></form>')

    @app.post("/report")
    def submit() -> Response:
        form = request.form
        with Session(engine) as session:
            session.add(FloorMessage(message_sid=form.get("submission_token", ""),
                                     received_at=datetime.now(UTC), sender=form.get("phone", ""),
                                     body=form.get("description", "")))
            session.commit()
        return redirect("/receipt", code=303)

    @app.get("/receipt")
    def receipt() -> str:
        return "<p>查询编号</p>"

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app


app = create_app() if os.environ.get("DATABASE_URL") else None
