"""The one clock. Everything that asks "what time is it" asks ``now_utc()``.

Times are stored in UTC and shown in Asia/Shanghai, the county's time zone.
Tests freeze the clock with ``frozen_at`` instead of patching ``datetime``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

_frozen: datetime | None = None


def now_utc() -> datetime:
    return _frozen if _frozen is not None else datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """The county's wall-clock time for a stored UTC moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: store and pass times with a time zone")
    return moment.astimezone(LOCAL_TZ)


def local_today() -> date:
    return to_local(now_utc()).date()


def start_of_local_day(day: date) -> datetime:
    """The county's midnight at which ``day`` begins (reports' periods start and end there)."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TZ)


def deadline_day(moment: datetime) -> date:
    """The local day a deadline ends with (deadlines are the midnight after it)."""
    return (to_local(moment) - timedelta(microseconds=1)).date()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("freeze the clock at an aware datetime")
    previous, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield _frozen
    finally:
        _frozen = previous
