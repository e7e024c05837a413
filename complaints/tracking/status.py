"""The states a case can be in. The transitions between them come with the tracking issue."""

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
