"""Tracking numbers (issue 18): readable, one a day from 0001, never given twice; on PostgreSQL
a filing does not wait for another still open to take its number."""

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from complaints.db.base import make_engine
from complaints.intake.filing import next_tracking_number

DAY = date(2026, 12, 1)


def test_numbers_of_a_day_count_up_and_a_new_day_starts_again(db):
    numbers = [next_tracking_number(db, DAY) for _ in range(3)]
    db.commit()
    assert numbers == ["YX20261201-0001", "YX20261201-0002", "YX20261201-0003"]
    assert next_tracking_number(db, date(2026, 12, 2)) == "YX20261202-0001"


def test_an_open_filing_does_not_hold_up_the_next_one(db, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: its filings queue by design")
    engine = make_engine(database_url)
    with Session(engine) as first, Session(engine) as second:
        assert next_tracking_number(first, DAY) == "YX20261201-0001"  # its filing still open
        # Waiting on the day's counter would fail here within the second, not hang.
        second.execute(text("SET lock_timeout = '1s'"))
        assert next_tracking_number(second, DAY) == "YX20261201-0002"
        first.rollback()  # that filing failed: its number is a gap, never handed out again
        second.commit()
    engine.dispose()
    assert next_tracking_number(db, DAY) == "YX20261201-0003"
