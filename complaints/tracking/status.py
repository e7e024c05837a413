"""The states a case can be in, and the other closed lists of a case's life."""

from __future__ import annotations

import enum


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"          # 受理
    REJECTED = "rejected"          # 不予受理
    ASSIGNED = "assigned"          # 派单
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"          # 退单
    TRANSFERRED = "transferred"    # 移送
    RESOLVED = "resolved"          # 办结
    CLOSED = "closed"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset(CaseStatus) - {CaseStatus.REJECTED, CaseStatus.CLOSED}
# Being handled by a unit: what the resolve deadline and escalation are about.
WITH_A_UNIT = frozenset({CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.TRANSFERRED})


class Outcome(enum.StrEnum):
    RECTIFIED = "rectified"
    APPRAISED_SAFE = "appraised-safe"
    NOT_SUBSTANTIATED = "not-substantiated"
    OTHER_CHANNEL = "other-channel"  # handled by another channel


class ClueDisposition(enum.StrEnum):
    TRANSFERRED = "transferred"  # to the discipline inspection commission
    DECLINED = "declined"        # the lead unit recorded why not


class SlaState(enum.StrEnum):
    ON_TIME = "on-time"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    NONE = "none"  # nothing is due (closed, rejected)
