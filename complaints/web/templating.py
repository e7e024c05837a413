"""What every template can use: the catalogue, the hotline, names from the table, dates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import phonenumbers
from flask import Flask

from complaints.core.clock import deadline_day, to_local
from complaints.core.messages import t
from complaints.web.boundary import components

HOTLINE = "0596-8525603"


def init_app(app: Flask) -> None:
    app.context_processor(_helpers)
    app.jinja_env.filters["category_label"] = _category_name
    app.jinja_env.filters["local_time"] = _local_time
    app.jinja_env.filters["deadline"] = _deadline


def _helpers() -> dict[str, Any]:
    table = components().table
    sms_number = components().settings.twilio_phone_number
    return {
        "t": t,
        "HOTLINE": HOTLINE,
        # The number residents text, as they would dial it (the setting is E.164).
        "SMS_NUMBER": _national(sms_number) if sms_number else None,
        "category_name": lambda slug: _category_name(slug) if slug else t("case.none"),
        "unit_name": lambda slug: table.unit(slug).name,
    }


def _national(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164, "CN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _category_name(slug: str) -> str:
    return components().table.category(slug).name


def _local_time(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _deadline(moment: datetime | None) -> str:
    # Deadlines are the end of a local day: show that day, not the next midnight.
    return t("case.deadline_day", day=f"{deadline_day(moment):%Y-%m-%d}") if moment else ""
