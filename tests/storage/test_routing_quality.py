"""Learning from the lead unit's corrections: `routing evaluate` and `routing suggest`."""

from complaints.accounts import create_user
from complaints.cases.operations import ActionRequest, perform
from complaints.cases.routing_override import override_routing
from complaints.cases.rules import Relation
from complaints.core.vocabulary import Channel, EventKind, Role
from complaints.intake.filing import NewComplaint, file_complaint
from complaints.reports.routing_quality import evaluate, judged_cases, suggest
from tests.conftest import PASSWORD

LEAD = frozenset({Relation.LEAD})
# Words the table does not know: an official would teach it "猪圈塌" for a collapsing sty.
UNKNOWN_TROUBLE = "火田镇我家旁边的猪圈塌了一半，压到了后墙"


def test_kept_and_corrected_cases_are_counted_and_the_corrections_suggest_words(db, tools):
    lead = create_user(db, "lead1", Role.LEAD, PASSWORD, unit_slug="housing")

    def filed(text, channel=Channel.WEB):
        case = file_complaint(db, tools, NewComplaint(channel=channel, description=text)).complaint
        perform(db, tools, case, ActionRequest(EventKind.ACCEPT), LEAD, lead)
        return case

    kept = filed("火田镇我家土坯房墙裂了好大一条缝")
    perform(db, tools, kept, ActionRequest(EventKind.ASSIGN), LEAD, lead)
    for channel in (Channel.SMS, Channel.HOTLINE):
        moved = filed(UNKNOWN_TROUBLE, channel)
        override_routing(db, tools.router, moved, lead, category="land-and-geohazard",
                         lead_unit="natural-resources", co_units=["huotian"], reason="属地质问题")
        perform(db, tools, moved, ActionRequest(EventKind.ASSIGN), LEAD, lead)
    elsewhere = filed("马铺乡屋顶漏雨，墙也潮")
    perform(db, tools, elsewhere, ActionRequest(EventKind.ASSIGN, unit="housing"), LEAD, lead)
    filed("陈岱镇房子裂了")  # not dispatched: nobody judged the engine on it yet
    db.commit()

    result = evaluate(judged_cases(db))
    assert (result.overall.confirmed, result.overall.corrected) == (1, 3)
    assert result.by_channel["web"].confirmed == 1 and result.by_channel["web"].corrected == 1
    assert result.by_channel["sms"].corrected == 1 and result.by_channel["hotline"].corrected == 1
    assert result.overall.rate == 0.25

    words = {(s.category, s.word) for s in suggest(tools.table, judged_cases(db))}
    assert ("land-and-geohazard", "猪圈") in words
    # What the table knows (火田镇, 塌) and function words (了, 的) are never proposed.
    assert not any("火田" in word or "了" in word or "的" in word for _, word in words)
    # Nothing from the confirmed case, nor from a case moved only between units.
    assert not any(word in "火田镇我家土坯房墙裂了好大一条缝" for _, word in words)
    assert all(category == "land-and-geohazard" for category, _ in words)
