"""The working-day calendar: official holidays and make-up working days (调休).

Each year is a data file in ``holidays/`` (seeded from the chinesecalendar
package for 2004-2026; ``flask --app complaints.app calendar add-year`` adds one
when the State Council publishes it). For a year without a file, Monday to
Friday are working days and anything computed from that year is marked
provisional, to be recomputed once the year is added. No date makes it crash.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

MAX_SPAN_DAYS = 3660  # ten years: further than any deadline; beyond it we stop counting


class CalendarError(ValueError):
    """A holiday file is malformed; the message says where."""


@dataclass(frozen=True)
class YearData:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str


@dataclass(frozen=True)
class Counted:
    day: date
    provisional: bool  # some day on the way lay in a year without official data


class WorkingCalendar:
    def __init__(self, years: dict[int, YearData]) -> None:
        self._years = dict(years)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def knows(self, year: int) -> bool:
        return year in self._years

    def is_working_day(self, day: date) -> bool:
        data = self._years.get(day.year)
        if data is not None:
            if day in data.workdays:
                return True
            if day in data.holidays:
                return False
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> Counted:
        """The ``count``-th working day after ``start`` (``start`` itself does not count)."""
        day, provisional, remaining = start, False, max(0, count)
        for _ in range(MAX_SPAN_DAYS):
            if remaining == 0:
                return Counted(day, provisional)
            try:
                day += timedelta(days=1)
            except OverflowError:
                return Counted(date.max, True)
            provisional |= not self.knows(day.year)
            if self.is_working_day(day):
                remaining -= 1
        return Counted(day, True)

    def add_calendar_days(self, start: date, count: int) -> Counted:
        try:
            day = start + timedelta(days=max(0, count))
        except OverflowError:
            return Counted(date.max, True)
        return Counted(day, False)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 if ``end`` is not later."""
        if end <= start:
            return 0
        if (end - start).days > MAX_SPAN_DAYS:
            end = start + timedelta(days=MAX_SPAN_DAYS)
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


def parse_year(raw: dict[str, Any], where: str) -> YearData:
    unknown = set(raw) - {"year", "source", "holidays", "workdays"}
    if unknown:
        raise CalendarError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    year = raw.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2200:
        raise CalendarError(f"{where}: year must be a year such as 2027")

    def days(name: str) -> frozenset[date]:
        entries = raw.get(name, [])
        if not isinstance(entries, list):
            raise CalendarError(f"{where}: {name} must be a list")
        found = set()
        for entry in entries:
            day = entry.get("date") if isinstance(entry, dict) else entry
            if not isinstance(day, date) or day.year != year:
                raise CalendarError(f"{where}: {name}: {day!r} is not a date in {year}")
            found.add(day)
        return frozenset(found)

    holidays, workdays = days("holidays"), days("workdays")
    both = holidays & workdays
    if both:
        raise CalendarError(f"{where}: {min(both)} is both a holiday and a working day")
    weekday_workdays = sorted(day for day in workdays if day.weekday() < 5)
    if weekday_workdays:
        raise CalendarError(
            f"{where}: {weekday_workdays[0]} is a weekday; list only weekend days under workdays"
        )
    source = raw.get("source", "")
    if not isinstance(source, str):
        raise CalendarError(f"{where}: source must be text")
    return YearData(year, holidays, workdays, source)


def read_year_file(path: Path, *, check_name: bool = True) -> YearData:
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CalendarError(f"{path}: {error}") from None
    data = parse_year(raw, str(path))
    if check_name and path.stem != str(data.year):
        raise CalendarError(f"{path}: holds year {data.year}; name the file {data.year}.toml")
    return data


def holiday_directory() -> Path:
    return Path(str(resources.files("complaints.calendar").joinpath("holidays")))


def load_calendar(directory: Path | None = None) -> WorkingCalendar:
    directory = directory or holiday_directory()
    years = [_read_unchanged(path, path.stat().st_mtime_ns, path.stat().st_size)
             for path in sorted(directory.glob("*.toml"))]
    return WorkingCalendar({data.year: data for data in years})


@lru_cache(maxsize=256)
def _read_unchanged(path: Path, _mtime_ns: int, _size: int) -> YearData:
    """A year file parsed once while it stays the same (every app of a process reads them)."""
    return read_year_file(path)
