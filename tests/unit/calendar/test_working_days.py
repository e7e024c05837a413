"""Working days across the Spring Festival and National Day, with their make-up days."""

from datetime import UTC, date, datetime

import pytest

from complaints.calendar.deadlines import end_of_local_day, working_days_after
from complaints.calendar.working_days import (
    CalendarError,
    holiday_directory,
    load_calendar,
    parse_year,
    read_year_file,
)

CALENDAR = load_calendar()


def test_shipped_years():
    assert CALENDAR.years[0] == 2004 and CALENDAR.years[-1] == 2026
    assert not CALENDAR.knows(2027)


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 2, 13), True),    # Friday before the Spring Festival
    (date(2026, 2, 14), True),    # Saturday, a make-up working day (调休)
    (date(2026, 2, 16), False),   # Monday in the holiday
    (date(2026, 2, 23), False),   # last day of the holiday
    (date(2026, 2, 24), True),
    (date(2026, 2, 28), True),    # Saturday, make-up working day
    (date(2026, 10, 1), False),
    (date(2026, 10, 10), True),   # Saturday, make-up working day
    (date(2026, 10, 11), False),  # an ordinary Sunday
])
def test_official_calendar(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_one_working_day_before_the_spring_festival_lands_on_the_make_up_saturday():
    counted = CALENDAR.add_working_days(date(2026, 2, 13), 1)
    assert counted.day == date(2026, 2, 14) and not counted.provisional


def test_one_working_day_from_the_make_up_saturday_skips_the_whole_holiday():
    assert CALENDAR.add_working_days(date(2026, 2, 14), 1).day == date(2026, 2, 24)


def test_fifteen_working_days_across_national_day():
    # From Wed 2026-09-23: 24 (Thu), then 25-27 Mid-autumn off, 28-30, Oct 1-7 off,
    # Oct 8-10 (10th is a make-up Saturday), 12-16, 19-21 ... count them.
    counted = CALENDAR.add_working_days(date(2026, 9, 23), 15)
    assert counted.day == date(2026, 10, 21)
    assert CALENDAR.working_days_between(date(2026, 9, 23), date(2026, 10, 21)) == 15


def test_deadline_is_the_end_of_the_local_day():
    received = datetime(2026, 9, 30, 8, 0, tzinfo=UTC)  # 16:00 in Yunxiao
    due = working_days_after(CALENDAR, received, 1)
    assert due.at == datetime(2026, 10, 8, 16, 0, tzinfo=UTC)  # 10-09 00:00 local


def test_a_year_without_data_falls_back_to_weekdays_and_says_so():
    counted = CALENDAR.add_working_days(date(2026, 12, 30), 3)
    assert counted.day == date(2027, 1, 4)  # Thu 31, Fri 1 Jan, Mon 4 Jan: no holiday known
    assert counted.provisional


def test_adding_the_year_changes_the_answer(tmp_path):
    for year_file in holiday_directory().glob("202[56].toml"):
        (tmp_path / year_file.name).write_text(year_file.read_text("utf-8"), "utf-8")
    (tmp_path / "2027.toml").write_text(
        'year = 2027\nholidays = [2027-01-01]\nworkdays = []\n', "utf-8")
    counted = load_calendar(tmp_path).add_working_days(date(2026, 12, 30), 3)
    assert counted.day == date(2027, 1, 5) and not counted.provisional


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 30), date.max])
def test_no_date_makes_it_crash(day):
    counted = CALENDAR.add_working_days(day, 15)
    assert counted.day >= day
    end_of_local_day(counted.day)
    CALENDAR.working_days_between(day, date.max)


@pytest.mark.parametrize(("raw", "message"), [
    ({"year": 2027, "holidays": [date(2026, 1, 1)]}, "not a date in 2027"),
    ({"year": 2027, "holidays": [date(2027, 1, 2)], "workdays": [date(2027, 1, 2)]},
     "both a holiday and a working day"),
    ({"year": 2027, "workdays": [date(2027, 1, 4)]}, "is a weekday"),
    ({"year": "2027"}, "year must be"),
    ({"year": 2027, "holiday": []}, "unknown field"),
])
def test_bad_year_data_is_refused(raw, message):
    with pytest.raises(CalendarError, match=message):
        parse_year(raw, "2027.toml")


def test_file_name_must_match_its_year(tmp_path):
    path = tmp_path / "2028.toml"
    path.write_text("year = 2027\n", "utf-8")
    with pytest.raises(CalendarError, match="name the file 2027.toml"):
        read_year_file(path)
