"""The stored data, one module per area; every model is importable from here."""

from complaints.db.models.accounts import ApiClient, RecoveryCode, StaffSession, User
from complaints.db.models.campaign import InspectionProblem, TownshipReport
from complaints.db.models.cases import (
    Attachment,
    AuditHead,
    CaseEvent,
    CaseHolding,
    CaseTally,
    Clue,
    Complaint,
    DailyCounter,
    FollowUp,
    ReporterIdentity,
    complaint_co_units,
)
from complaints.db.models.households import (
    AppraisalTask,
    Household,
    HouseholdHelper,
    HouseholdPhoto,
    HouseholdVisit,
    Rectification,
    RosterList,
)
from complaints.db.models.messaging import CallLog, InboundSms, OutboxMessage, SmsOptOut
from complaints.db.models.safeguards import EncryptionKeyCheck, SpentCaptcha
from complaints.db.models.units import Unit

__all__ = [
    "ApiClient",
    "AppraisalTask",
    "Attachment",
    "AuditHead",
    "CallLog",
    "CaseEvent",
    "CaseHolding",
    "CaseTally",
    "Clue",
    "Complaint",
    "DailyCounter",
    "EncryptionKeyCheck",
    "FollowUp",
    "Household",
    "HouseholdHelper",
    "HouseholdPhoto",
    "HouseholdVisit",
    "InboundSms",
    "InspectionProblem",
    "OutboxMessage",
    "RecoveryCode",
    "Rectification",
    "ReporterIdentity",
    "RosterList",
    "SmsOptOut",
    "SpentCaptcha",
    "StaffSession",
    "TownshipReport",
    "Unit",
    "User",
    "complaint_co_units",
]
