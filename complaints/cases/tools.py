"""What operations on cases need besides the database session."""

from __future__ import annotations

from dataclasses import dataclass

from complaints.calendar.working_days import WorkingCalendar
from complaints.core.identity import IdentityVault
from complaints.routing.engine import Router
from complaints.routing.table import RoutingTable


@dataclass(frozen=True)
class CaseTools:
    """The identity vault (reporters' phones, sealed messages), the router (and through it
    the lead-unit table) and the working-day calendar, built once by ``components``."""

    vault: IdentityVault
    router: Router
    calendar: WorkingCalendar

    @property
    def table(self) -> RoutingTable:
        return self.router.table
