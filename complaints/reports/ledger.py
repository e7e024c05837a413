"""The problem ledger (问题台账): every open case and follow-up task, with deadline, unit,
responsible person and state. Plain Python over the queries the console uses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from complaints.calendar.deadlines import sla_state
from complaints.cases.tools import CaseTools
from complaints.core.clock import deadline_day, to_local
from complaints.core.messages import t
from complaints.core.vocabulary import CaseStatus, Role
from complaints.db.models import Complaint, FollowUp, User

LEDGER_ROWS = 20000


def ledger_lines(session: Session, tools: CaseTools, cases: Select, follow_ups: Select | None,
                 now: datetime) -> list[list[object]]:
    """Rows for ``ledger_xlsx``; ``cases`` and ``follow_ups`` already carry who may see what."""
    people = _liaison_names(session)
    lines: list[list[object]] = []
    for case in session.scalars(
            cases.where(Complaint.status.not_in([CaseStatus.CLOSED, CaseStatus.REJECTED]))
            .options(selectinload(Complaint.responsible_unit), selectinload(Complaint.township))
            .order_by(Complaint.deadline_at.asc().nulls_last()).limit(LEDGER_ROWS)):
        unit = case.responsible_unit
        state = sla_state(case, tools.table.deadlines_for(case.category), tools.calendar, now)
        lines.append([case.tracking_number, to_local(case.received_at).replace(tzinfo=None),
                      case.township.name if case.township else "", case.village or "",
                      tools.table.category(case.category).name if case.category else "",
                      unit.name if unit else t("ledger.lead_unit_queue"),
                      people.get(unit.id, "") if unit else "",
                      t(f"status.{case.status.value}"),
                      deadline_day(case.deadline_at) if case.deadline_at else None,
                      t(f"sla.{state.value}")])
    if follow_ups is not None:
        for task in session.scalars(
                follow_ups.where(FollowUp.done_at.is_(None))
                .options(selectinload(FollowUp.complaint), selectinload(FollowUp.unit))
                .order_by(FollowUp.due_at).limit(LEDGER_ROWS)):
            lines.append([task.complaint.tracking_number,
                          to_local(task.created_at).replace(tzinfo=None), "", "",
                          t("ledger.follow_up", quarter=task.quarter), task.unit.name,
                          people.get(task.unit_id, ""), t("ledger.open"),
                          deadline_day(task.due_at),
                          t("sla.overdue") if task.due_at <= now else t("sla.on-time")])
    return lines


def _liaison_names(session: Session) -> dict[int | None, str]:
    names: dict[int | None, list[str]] = {}
    for user in session.scalars(select(User).where(User.role == Role.LIAISON,
                                                   User.is_active.is_(True))):
        names.setdefault(user.unit_id, []).append(user.display_name)
    return {unit_id: "、".join(sorted(found)) for unit_id, found in names.items()}
