"""The closed lists of the domain, stored by value, and the named sets made of them.

Every enum of the project lives here, so that the models, the rules and the reports
speak one vocabulary. Their Chinese labels live in the message catalogue
(``messages_zh.toml``, keys ``channel.*``, ``status.*``, ``action.*`` and so on), not here.
A set of statuses or of event kinds that code asks about is defined once, below its enum,
with a name that says what its members have in common.
"""

from __future__ import annotations

import enum


class Channel(enum.StrEnum):
    WEB = "web"
    SMS = "sms"
    HOTLINE = "hotline"
    VOICE = "voice"
    API = "api"
    VISIT = "visit"            # a township's quarterly visit found a hazard (跟踪回访)
    HELPER = "helper"          # a household's helper reported a problem (动态监测)


class Role(enum.StrEnum):
    OPERATOR = "operator"      # hotline operators
    LIAISON = "liaison"        # one unit's case handlers
    LEAD = "lead"              # the housing bureau's dispatchers
    COMMISSION = "commission"  # discipline inspection commission, read-only
    ADMIN = "admin"            # accounts and configuration, no case contents
    HELPER = "helper"          # a household's assigned helper (挂钩帮扶责任人), of a township


class UnitKind(enum.StrEnum):
    LEAD = "lead"
    PARTICIPATING = "participating"
    TOWNSHIP = "township"
    ZONE = "zone"
    COMMISSION = "commission"


class HouseStructure(enum.StrEnum):
    EARTH = "earth"                    # 土坯
    EARTH_WOOD = "earth-wood"          # 土木
    BRICK_WOOD = "brick-wood"          # 砖木
    BRICK_CONCRETE = "brick-concrete"  # 砖混
    OTHER = "other"
    UNKNOWN = "unknown"


class VisitResult(enum.StrEnum):
    """What a township's quarterly visit to a roster household found."""

    SAFE = "safe"
    HAZARD = "hazard"                  # becomes a case, routed like any other
    DEALT_WITH = "dealt-with"          # found and dealt with on the spot


class PhotoPurpose(enum.StrEnum):
    """What a photo of a roster household shows."""

    APPRAISAL = "appraisal"
    RECTIFICATION = "rectification"
    PLATE = "plate"                    # the safety-status plate on the wall (挂牌上墙)
    VISIT = "visit"


class TownshipReportKind(enum.StrEnum):
    MONTHLY = "monthly"                # by the 22nd of each month
    SUMMARY = "summary"                # the campaign's summary, in November


class LedgerSource(enum.StrEnum):
    """Where a problem on the ledger was found; a case's channel says more."""

    COMPLAINT = "complaint"
    VISIT = "visit"
    HELPER = "helper"
    APPRAISAL = "appraisal"
    INSPECTION = "inspection"          # a unit's own inspection, entered directly


class HouseholdType(enum.StrEnum):
    REGISTERED_POOR = "registered-poor"            # 建档立卡贫困户
    MINIMUM_ALLOWANCE = "minimum-allowance"        # 低保户
    DISPERSED_EXTREMELY_POOR = "extremely-poor"    # 农村分散供养特困人员
    ENTITLED_GROUPS = "entitled-groups"            # 优抚对象、革命"五老"人员
    DISABLED_POOR = "disabled-poor"                # 贫困残疾人家庭
    OTHER_POOR = "other-poor"                      # 其他贫困户
    UNKNOWN = "unknown"


class AppraisalGrade(enum.StrEnum):
    """农村住房安全性鉴定: A and B are safe; C is repaired and reinforced, D rebuilt."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class MessageChannel(enum.StrEnum):
    SMS = "sms"
    EMAIL = "email"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"        # waiting for its send time
    SENDING = "sending"        # claimed by a worker
    SENT = "sent"
    FAILED = "failed"          # permanent failure, or retries used up
    NOT_SENT = "not_sent"      # no provider configured: recorded, not sent
    SUPPRESSED = "suppressed"  # the recipient opted out


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"          # 受理
    REJECTED = "rejected"          # 不予受理
    ASSIGNED = "assigned"          # 派单
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"          # 退单
    TRANSFERRED = "transferred"    # 移送 requested, waiting for the lead unit
    RESOLVED = "resolved"          # 办结
    CLOSED = "closed"
    REOPENED = "reopened"


# Not finished: something can still happen to the case.
OPEN_STATUSES = frozenset(CaseStatus) - {CaseStatus.REJECTED, CaseStatus.CLOSED}
# A unit holds the case: its resolve deadline runs and it is escalated when late.
HELD_BY_UNIT = frozenset({CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS, CaseStatus.TRANSFERRED})
# The holding unit is working on it (not waiting for a transfer decision): it may return,
# ask for a transfer or an extension.
WORKED_BY_UNIT = frozenset({CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS})
# No unit has it yet, and the lead unit may still correct the routing.
BEFORE_DISPATCH = frozenset({CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.RETURNED})
# Waiting for the lead unit to (re)dispatch it.
AWAITING_DISPATCH = BEFORE_DISPATCH | {CaseStatus.REOPENED}
# The reporter has had an answer: resolved, closed or rejected.
ANSWERED = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.REJECTED})


class Outcome(enum.StrEnum):
    RECTIFIED = "rectified"
    APPRAISED_SAFE = "appraised-safe"
    NOT_SUBSTANTIATED = "not-substantiated"
    OTHER_CHANNEL = "other-channel"  # handled by another channel


class ReviewDecision(enum.StrEnum):
    """What a review (复查, then 复核) decides about the answer a reporter disputed."""

    UPHELD = "upheld"  # 维持: the answer stands, the case closes
    REDO = "redo"      # 责令重新办理: a new round of handling


# A reporter may ask for a review (复查), then a re-review (复核); after it the same facts are
# not taken up again (信访工作条例 第三十五条).
REVIEW_STAGES = ("review", "re-review")


class ClueSource(enum.StrEnum):
    """Where a clue came from (线索来源)."""

    REPORT = "report"                # a resident's report, through its case's channel
    FOUND_BY_UNIT = "found-by-unit"  # a unit's own supervision work
    HIGHER_LEVEL = "higher-level"    # handed down by a higher level
    HOTLINE_12345 = "12345"          # transferred from the 12345 hotline
    LETTER = "letter"
    VISIT = "visit"
    FAX = "fax"
    EMAIL = "email"


class ClueState(enum.StrEnum):
    PENDING = "pending"          # at the lead unit, to transfer or not within its deadline
    DECLINED = "declined"        # the lead unit proposes not to transfer it (reason); the
    NOT_A_CLUE = "not-a-clue"    # commission sees both and may take the clue to itself
    TRANSFERRED = "transferred"  # 移送: at the commission, not yet signed for
    SIGNED = "signed"            # 签收: the commission has it
    DISPOSED = "disposed"        # the commission recorded its disposition
    RETURNED = "returned"        # the commission handed it back to a department (reason)


# The lead unit proposed not to transfer: the commission may overrule.
CLUE_PROPOSED_NOT_TO_TRANSFER = frozenset({ClueState.DECLINED, ClueState.NOT_A_CLUE})


class CommissionDisposition(enum.StrEnum):
    """How a discipline organ disposes of a problem clue (the four ways, or a case)."""

    TALK_OR_INQUIRY = "talk-or-inquiry"          # 谈话函询
    PRELIMINARY_CHECK = "preliminary-check"      # 初步核实
    KEPT_PENDING = "kept-pending"                # 暂存待查
    CLOSED = "closed"                            # 予以了结
    CASE_OPENED = "case-opened"                  # 立案审查调查


class SlaState(enum.StrEnum):
    ON_TIME = "on-time"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    NONE = "none"  # nothing is due (closed, rejected)


class EventKind(enum.StrEnum):
    """What a case event records: the one vocabulary of the case log.

    The values are the strings stored in ``case_events.action`` since the first release and
    hashed into the audit chain: never change one. The kinds people perform through
    ``cases.operations.perform`` are those in ``cases.rules.RULES``; the others are written
    by intake, the hourly job and the routing override.
    """

    RECEIVED = "received"                    # filed, with its channel and routing decision
    ACCEPT = "accept"
    REJECT = "reject"
    ASSIGN = "assign"
    START = "start"
    RETURN = "return"                        # back to the lead unit (since issue 16: its approval)
    OBJECT_TO_DISPATCH = "object-to-dispatch"  # 派单异议: a unit says the matter is not its own
    REFUSE_OBJECTION = "refuse-objection"    # the lead unit keeps the case with the unit
    REQUEST_TRANSFER = "request-transfer"
    APPROVE_TRANSFER = "approve-transfer"
    REFUSE_TRANSFER = "refuse-transfer"
    TRANSFER = "transfer"
    REQUEST_EXTENSION = "request-extension"
    GRANT_EXTENSION = "grant-extension"
    REFUSE_EXTENSION = "refuse-extension"
    RESOLVE = "resolve"
    PROPOSE_RESOLUTION = "propose-resolution"  # 办结审核: a unit's resolution, for the lead to check
    SEND_BACK_RESOLUTION = "send-back-resolution"  # the lead unit: not yet, with its reason
    CLOSE = "close"
    REOPEN = "reopen"
    TRANSFER_CLUE = "transfer-clue"
    DECLINE_CLUE = "decline-clue"
    REQUEST_IDENTITY = "request-identity"
    GRANT_IDENTITY = "grant-identity"
    REFUSE_IDENTITY = "refuse-identity"
    NOTE = "note"
    PUBLIC_REPLY = "public-reply"
    COMMENT = "comment"
    REPORTER_FEEDBACK = "reporter-feedback"
    HOUSEHOLD_LINKED = "household-linked"    # the lead unit: this case is about that roster entry
    MERGE = "merge"                          # the same problem as another case: handled there
    MERGED_IN = "merged-in"                  # on that case: which report joined it
    CALLBACK_UNREACHED = "callback-unreached"  # 回访: an operator's call reached nobody
    REQUEST_REVIEW = "request-review"        # 复查 or 复核: the reporter disputes the answer
    DECIDE_REVIEW = "decide-review"          # the level above decides: upheld, or handled again
    REPORTER_MESSAGE = "reporter-message"    # more information, or an answer to staff
    ESCALATE = "escalate"                    # 督办 by the hourly job: a deadline passed
    SUPERVISE = "supervise"                  # 督办 by the lead unit's hand, with its own due date
    RECOUNT_DEADLINE = "recount-deadline"    # a provisional deadline counted again
    FOLLOW_UP_DONE = "follow-up-done"        # a quarterly visit made
    FOLLOW_UPS_ENDED = "follow-ups-ended"
    ROUTING_OVERRIDDEN = "routing-overridden"
    HAZARD_TEXT_SET = "hazard-text-set"      # the lead unit corrects what units read of a report
    IDENTITY_VIEWED = "identity-viewed"      # a staff member was shown the reporter's identity
    # A clue's own events (``clue_id``; a clue's case never shows them).
    CLUE_RECORDED = "clue-recorded"          # from a report at filing, or recorded by a unit
    CLUE_NOT_A_CLUE = "clue-not-a-clue"      # the lead unit: the misconduct flag was wrong
    CLUE_TAKEN = "clue-taken"                # the commission takes a clue to itself
    CLUE_SIGNED = "clue-signed"              # 签收
    CLUE_DISPOSED = "clue-disposed"          # disposition, result and its date
    CLUE_RETURNED = "clue-returned"          # handed back to a department, with a reason
    CLUE_ESCALATED = "clue-escalated"        # the lead unit's deadline passed undecided
    REPORT_SUBMITTED = "report-submitted"    # the lead unit submitted a quarter's clue report
    # A staff account's events (no case, no clue): its second factor.
    SECOND_FACTOR_ENROLLED = "second-factor-enrolled"
    SECOND_FACTOR_RESET = "second-factor-reset"  # by an administrator


# Gives the case to a unit (details name it): the first dispatch, or a move between units.
DISPATCHES = frozenset({EventKind.ASSIGN, EventKind.APPROVE_TRANSFER, EventKind.TRANSFER})
# Moves a dispatched case from one unit to another (details: from, to).
UNIT_TRANSFERS = frozenset({EventKind.APPROVE_TRANSFER, EventKind.TRANSFER})
# Gives the holding unit a new resolve deadline.
NEW_DEADLINES = frozenset({EventKind.GRANT_EXTENSION, EventKind.RECOUNT_DEADLINE})
# Takes the case away from its unit.
RELEASES = frozenset({EventKind.RETURN, EventKind.RESOLVE, EventKind.REJECT})
# The only kinds that change who holds a case or under which deadline (``case_holdings``).
HOLDING_CHANGES = DISPATCHES | NEW_DEADLINES | RELEASES
# After these a performed action's event records the resolve deadline then in force (``due``).
RECORDS_DUE = DISPATCHES | {EventKind.GRANT_EXTENSION}
# Tells the unit it has a case to work on, by SMS.
TELLS_THE_UNIT = DISPATCHES | {EventKind.ESCALATE, EventKind.SUPERVISE}
# What a clue's record may hold; TRANSFER_CLUE and DECLINE_CLUE are the lead unit's decisions.
CLUE_EVENTS = frozenset({
    EventKind.CLUE_RECORDED, EventKind.TRANSFER_CLUE, EventKind.DECLINE_CLUE,
    EventKind.CLUE_NOT_A_CLUE, EventKind.CLUE_TAKEN, EventKind.CLUE_SIGNED,
    EventKind.CLUE_DISPOSED, EventKind.CLUE_RETURNED, EventKind.CLUE_ESCALATED,
})
# Tells the reporter something by SMS.
TELLS_THE_REPORTER = frozenset({EventKind.RESOLVE, EventKind.PUBLIC_REPLY, EventKind.GRANT_EXTENSION,
                                EventKind.MERGE})
