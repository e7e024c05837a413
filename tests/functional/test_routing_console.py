"""The lead unit sees why a case was routed and can correct it, with a reason, on the record."""

import pytest
from sqlalchemy import select

from complaints.core.vocabulary import Channel, Role
from complaints.db.models import CaseEvent, Complaint
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in


@pytest.fixture
def leaking_case(db, tools, vault):
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.SMS, description="房顶一下雨就漏，屋里到处滴水")).complaint
    db.commit()
    return complaint.tracking_number


def test_case_page_shows_the_decision_and_its_reasons(client, make_user, leaking_case):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{leaking_case}").get_data(as_text=True)
    assert "派单建议" in page and "漏雨透风" in page
    assert "应由乡镇牵头但乡镇不明" in page  # why it went to the housing bureau
    assert "需要人工分拣" in page
    assert "调整派单建议" in page


def override(client, number, **data):
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    return client.post(f"/staff/cases/{number}/routing",
                       data={"csrf_token": csrf_token_from(page), **data})


def test_lead_overrides_with_a_reason_and_it_is_recorded(client, make_user, db, leaking_case):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    response = override(client, leaking_case, category="leaks-drafts", lead_unit="mapu",
                        co_units=["housing", "civil-affairs"], reason="来电核实：住马铺乡客寮村")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "派单建议已调整" in page and "马铺乡" in page
    db.expire_all()
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == leaking_case))
    assert complaint.routing["lead_unit"] == "mapu"
    assert complaint.routing["co_units"] == ["housing", "civil-affairs"]
    assert not complaint.needs_triage
    event = db.scalars(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id)
                       .order_by(CaseEvent.id.desc())).first()
    assert event.action == "routing-overridden" and event.note == "来电核实：住马铺乡客寮村"
    assert event.details["before"]["lead_unit"] == "housing"
    assert event.actor.username == "lead1"


def test_override_without_a_reason_is_refused_and_changes_nothing(client, make_user, db,
                                                                  leaking_case):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    response = override(client, leaking_case, category="leaks-drafts", lead_unit="mapu",
                        reason="   ")
    assert response.status_code == 400
    assert "此项必须填写" in response.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(Complaint.routing)).get("lead_unit") == "housing"


def test_override_to_an_unknown_unit_is_refused(client, make_user, leaking_case):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    response = override(client, leaking_case, category="leaks-drafts",
                        lead_unit="discipline-commission", reason="试试")
    assert response.status_code == 400


def test_liaison_may_not_override(client, make_user, db, tools, vault):
    complaint = file_complaint(db, tools, NewComplaint(
        channel=Channel.SMS, description="马铺乡房子裂了")).complaint
    from complaints.db.models import Unit

    complaint.responsible_unit = db.scalar(select(Unit).where(Unit.slug == "mapu"))
    db.commit()
    make_user("l-mapu", Role.LIAISON, "mapu")
    log_in(client, "l-mapu")
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "调整派单建议" not in page
    token = csrf_token_from(page)
    response = client.post(f"/staff/cases/{complaint.tracking_number}/routing",
                           data={"csrf_token": token, "category": "other", "lead_unit": "mapu",
                                 "reason": "x"})
    assert response.status_code == 403
