"""Every filed complaint is routed, and the case remembers why."""

from sqlalchemy import select

from complaints.core.vocabulary import Channel, HouseholdType
from complaints.db.models import CaseEvent, Complaint
from complaints.intake.filing import NewComplaint, file_complaint


def test_filed_complaint_carries_the_decision_and_its_reasons(db, tools, vault):
    filed = file_complaint(db, tools, NewComplaint(
        channel=Channel.SMS,
        description="我是火田镇的低保户，家里土坯房墙裂了好大一条缝，下雨天怕倒",
    ))
    db.commit()
    db.expire_all()
    complaint = db.get(Complaint, filed.complaint.id)
    assert complaint.category == "dangerous-house"
    assert complaint.township.slug == "huotian"
    assert complaint.household_type is HouseholdType.MINIMUM_ALLOWANCE
    assert complaint.routing["lead_unit"] == "housing"
    assert complaint.routing["co_units"] == ["huotian", "civil-affairs"]
    assert complaint.routing["table_version"] == tools.table.version
    assert not complaint.needs_triage
    first = db.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)
                       .order_by(CaseEvent.id)).first()
    assert first.details["routing"] == complaint.routing
    assert {"field": "township", "rule": "named-in-text", "words": ["火田镇"]} in (
        first.details["routing"]["reasons"])


def test_misconduct_in_the_text_marks_the_case(db, tools, vault):
    filed = file_complaint(db, tools, NewComplaint(
        channel=Channel.HOTLINE, description="村干部说要送红包才给评危改", township_slug="chendai"))
    db.commit()
    assert filed.complaint.alleges_misconduct
    assert filed.complaint.routing["discipline_clue"]


def test_unroutable_text_waits_for_triage(db, tools, vault):
    filed = file_complaint(db, tools, NewComplaint(channel=Channel.SMS, description="在吗"))
    db.commit()
    assert filed.complaint.needs_triage and filed.complaint.category == "other"
