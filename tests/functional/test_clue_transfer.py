"""The two-way clue transfer, walked as its users would: an accusation never reaches the unit
it accuses; every clue reaches the commission, which signs, disposes, takes or returns it."""

from datetime import date

import pytest
from sqlalchemy import select

from complaints.core.vocabulary import Channel, ClueState, Role
from complaints.db.models import CaseEvent, Clue, Complaint, OutboxMessage
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in

ACCUSES_HUOTIAN = "火田镇村建所的干部收了钱才给办危房改造，我家屋顶一直漏雨"
ACCUSES_THE_LEAD = "住建局的工作人员收了红包才给评危房。我家土坯房后墙裂了"


@pytest.fixture
def staff(make_user, db):
    made = {
        "lead": make_user("lead1", Role.LEAD, "housing"),
        "huotian": make_user("l-huotian", Role.LIAISON, "huotian"),
        "mapu": make_user("l-mapu", Role.LIAISON, "mapu"),
        "poverty": make_user("l-poverty", Role.LIAISON, "poverty-office"),
        "operator": make_user("op1", Role.OPERATOR),
        "commission": make_user("jw", Role.COMMISSION, "discipline-commission"),
    }
    made["huotian"].phone = "13900000001"
    made["mapu"].phone = "13900000002"
    db.commit()
    return made


@pytest.fixture
def filed(db, tools):
    def make(description, **fields):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=fields.pop("channel", Channel.WEB), description=description,
            reporter_name="知情人", reporter_phone="13799998888", **fields)).complaint
        db.commit()
        return complaint
    return make


def as_user(client, username):
    # A fresh session: nothing of the previous user stays.
    client.delete_cookie("staff_session", path="/staff")
    log_in(client, username)


def act_on_case(client, number, action, **fields):
    page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    return client.post(f"/staff/cases/{number}/act",
                       data={"csrf_token": csrf_token_from(page), "action": action, **fields})


def act_on_clue(client, number, action, **fields):
    page = client.get(f"/staff/clues/{number}").get_data(as_text=True)
    return client.post(f"/staff/clues/{number}/act",
                       data={"csrf_token": csrf_token_from(page), "action": action, **fields})


def clue_of(db, complaint):
    db.rollback()
    return db.scalar(select(Clue).where(Clue.complaint_id == complaint.id))


def test_the_accused_township_never_sees_the_accusation_and_its_hazard_is_fixed_elsewhere(
        client, db, staff, filed, vault):
    complaint = filed(ACCUSES_HUOTIAN, township_slug="huotian")
    clue = clue_of(db, complaint)
    assert clue.accused_unit.slug == "huotian" and clue.state is ClueState.PENDING
    number = complaint.tracking_number

    as_user(client, "lead1")
    case_page = client.get(f"/staff/cases/{number}").get_data(as_text=True)
    assert "收了钱" in case_page and clue.number in case_page  # the lead reads all of it
    act_on_case(client, number, "accept")
    # As routed, the hazard would go to the accused township: refused, the lead chooses.
    refused = act_on_case(client, number, "assign")
    assert refused.status_code == 409 and "不能交它办理" in refused.get_data(as_text=True)
    refused = act_on_case(client, number, "assign", unit="housing", co_units="huotian",
                          co_units_shown="1")
    assert refused.status_code == 409
    assert act_on_case(client, number, "assign", unit="housing", co_units_shown="1").status_code == 302

    as_user(client, "l-huotian")
    assert client.get(f"/staff/cases/{number}").status_code == 404
    assert client.get(f"/staff/clues/{clue.number}").status_code == 404
    for path in ("/staff/", "/staff/cases", "/staff/cases?q=漏雨", "/staff/cases?q=村建所",
                 "/staff/clues/", "/staff/ledger.xlsx"):
        response = client.get(path)
        assert f"/staff/cases/{number}".encode() not in response.data, path
        assert "村建所的干部".encode() not in response.data, path
    # Nor by SMS: the dispatch told the lead unit's liaisons (none here), never the township's.
    db.rollback()
    recipients = [vault.open(m.recipient_sealed, "outbox-recipient") for m in
                  db.scalars(select(OutboxMessage))]
    bodies = [vault.open(m.body_sealed, "outbox-body") for m in db.scalars(select(OutboxMessage))]
    assert "+8613900000001" not in recipients and not any("村建所" in body for body in bodies)


def test_the_hazard_unit_reads_the_hazard_and_knows_a_part_went_elsewhere(
        client, db, staff, filed, vault):
    complaint = filed("下河乡的村干部收红包才给评危改。马铺乡我家房子屋顶漏雨", township_slug="mapu")
    clue = clue_of(db, complaint)
    assert clue.accused_unit is not None and clue.accused_unit.slug != "mapu"
    as_user(client, "lead1")
    act_on_case(client, complaint.tracking_number, "accept")
    assert act_on_case(client, complaint.tracking_number, "assign", unit="mapu",
                       co_units_shown="1").status_code == 302
    as_user(client, "l-mapu")
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "屋顶漏雨" in page and "红包" not in page and "知情人" not in page
    assert "本件反映的其他内容已另行处理" in page and clue.number not in page
    # The unit is told by SMS that it has a case, and nothing of the accusation.
    db.rollback()
    sent = {vault.open(m.recipient_sealed, "outbox-recipient"): vault.open(m.body_sealed, "outbox-body")
            for m in db.scalars(select(OutboxMessage))}
    assert complaint.tracking_number in sent["+8613900000002"]
    assert "红包" not in sent["+8613900000002"]


def test_a_clue_about_the_lead_unit_goes_straight_to_the_commission(client, db, staff, filed):
    complaint = filed(ACCUSES_THE_LEAD, township_slug="yunling")
    clue = clue_of(db, complaint)
    assert clue.accused_unit.slug == "housing" and clue.state is ClueState.TRANSFERRED
    as_user(client, "lead1")
    # The lead unit dispatches the hazard, but reads neither the accusation nor the reporter.
    page = client.get(f"/staff/cases/{complaint.tracking_number}").get_data(as_text=True)
    assert "土坯房后墙裂了" in page and "红包" not in page and "知情人" not in page
    assert client.get(f"/staff/clues/{clue.number}").status_code == 404
    assert clue.number not in client.get("/staff/clues/").get_data(as_text=True)
    as_user(client, "jw")
    page = client.get(f"/staff/clues/{clue.number}").get_data(as_text=True)
    assert "红包" in page and 'value="clue-signed"' in page


def test_the_commission_sees_a_pending_clue_at_once_and_overrules_a_decline(client, db, staff, filed):
    complaint = filed(ACCUSES_HUOTIAN, township_slug="huotian")
    clue = clue_of(db, complaint)
    as_user(client, "jw")
    # The commission lands on its console.
    listing = client.get("/staff/").get_data(as_text=True)
    assert clue.number in listing and "待牵头单位处理" in listing
    # It may take it at once, but here it waits for the lead unit's proposal.
    as_user(client, "lead1")
    assert act_on_clue(client, clue.number, "decline-clue").status_code == 409  # a reason is needed
    assert act_on_clue(client, clue.number, "decline-clue", reason="属工作作风问题").status_code == 302
    as_user(client, "jw")
    page = client.get(f"/staff/clues/{clue.number}").get_data(as_text=True)
    assert "牵头单位拟不移送" in page and "属工作作风问题" in page
    taken = act_on_clue(client, clue.number, "clue-taken", reason="涉嫌收受钱款，由我委处理")
    assert taken.status_code == 302
    assert clue_of(db, complaint).state is ClueState.SIGNED


def test_the_commission_signs_disposes_and_returns(client, db, staff, filed):
    first = clue_of(db, filed(ACCUSES_HUOTIAN, township_slug="huotian"))
    second = clue_of(db, filed("马铺乡村干部优亲厚友，亲戚不是贫困户也评上了", township_slug="mapu"))
    as_user(client, "lead1")
    for clue in (first, second):
        assert act_on_clue(client, clue.number, "transfer-clue").status_code == 302
    as_user(client, "lead1")
    assert act_on_clue(client, first.number, "clue-signed").status_code == 409  # not the lead's
    as_user(client, "jw")
    assert act_on_clue(client, first.number, "clue-signed").status_code == 302
    missing_date = act_on_clue(client, first.number, "clue-disposed", disposition="preliminary-check",
                               reason="已初步核实")
    assert missing_date.status_code == 409
    assert act_on_clue(client, first.number, "clue-disposed", disposition="preliminary-check",
                       reason="经初步核实，问题属实，已立案", result_on=date.today().isoformat()
                       ).status_code == 302
    done = clue_of(db, first.complaint)
    assert done.state is ClueState.DISPOSED and done.disposition.value == "preliminary-check"
    # Handed back: never to the unit it accuses.
    assert act_on_clue(client, second.number, "clue-returned", unit="mapu",
                       reason="x").status_code == 409
    assert act_on_clue(client, second.number, "clue-returned", unit="poverty-office",
                       reason="属扶贫对象认定问题，退回县扶贫办").status_code == 302
    returned = clue_of(db, second.complaint)
    assert returned.state is ClueState.RETURNED and returned.returned_to_unit.slug == "poverty-office"
    as_user(client, "l-poverty")
    page = client.get(f"/staff/clues/{second.number}").get_data(as_text=True)
    assert "退回县扶贫办" in page and 'id="actions"' not in page
    # Every step is an event of the clue, in the chain, and none is on the case.
    db.rollback()
    kinds = [e.action for e in db.scalars(select(CaseEvent).where(CaseEvent.clue_id == first.id)
                                          .order_by(CaseEvent.seq))]
    assert kinds == ["clue-recorded", "transfer-clue", "clue-signed", "clue-disposed"]
    case_kinds = {e.action for e in db.scalar(select(Complaint).where(
        Complaint.id == first.complaint_id)).events}
    assert not case_kinds & {"clue-recorded", "transfer-clue", "clue-signed", "clue-disposed"}


def test_a_wrong_flag_is_cleared_by_the_lead_with_a_reason_the_commission_sees(
        client, db, staff, filed):
    complaint = filed("房子登记在我父亲名下，火田镇土坯墙裂得很厉害", township_slug="huotian",
                      alleges_misconduct=True)
    clue = clue_of(db, complaint)
    as_user(client, "lead1")
    assert act_on_clue(client, clue.number, "clue-not-a-clue",
                       reason="产权登记情况，不涉及干部").status_code == 302
    db.rollback()
    flag, hazard = db.execute(select(Complaint.alleges_misconduct, Complaint.hazard_description)
                              .where(Complaint.id == complaint.id)).one()
    assert not flag and hazard is None
    as_user(client, "jw")
    page = client.get(f"/staff/clues/{clue.number}").get_data(as_text=True)
    assert "牵头单位认定不属于线索" in page and "产权登记情况" in page


def test_units_record_their_own_clues_and_operators_record_letters(client, db, staff):
    as_user(client, "l-poverty")
    page = client.get("/staff/clues/new").get_data(as_text=True)
    assert 'value="found-by-unit"' in page and 'value="letter"' not in page
    bad = client.post("/staff/clues/new", data={"csrf_token": csrf_token_from(page),
                                                "source": "found-by-unit", "allegation": ""})
    assert bad.status_code == 400 and "请填写反映内容" in bad.get_data(as_text=True)
    forged = client.post("/staff/clues/new", data={"csrf_token": csrf_token_from(page),
                                                   "source": "letter", "allegation": "x"})
    assert forged.status_code == 400  # a liaison cannot claim a letter came in
    made = client.post("/staff/clues/new", data={
        "csrf_token": csrf_token_from(page), "source": "found-by-unit", "accused_unit": "lieyu",
        "accused_name": "王某", "accused_post": "村委会主任",
        "allegation": "核查时发现村委会主任把亲属列入危改名单"})
    assert made.status_code == 302
    db.rollback()
    clue = db.scalar(select(Clue).where(Clue.recorded_by_unit_id == staff["poverty"].unit_id))
    assert clue.state is ClueState.PENDING and clue.due_at is not None
    assert clue.accused_name_sealed and b"\xe7\x8e\x8b" not in clue.accused_name_sealed  # sealed
    page = client.get(f"/staff/clues/{clue.number}").get_data(as_text=True)
    assert "王某" in page and "单位自行发现" in page

    as_user(client, "op1")
    page = client.get("/staff/clues/new").get_data(as_text=True)
    assert 'value="letter"' in page and 'value="fax"' in page
    assert client.post("/staff/clues/new", data={
        "csrf_token": csrf_token_from(page), "source": "fax",
        "allegation": "传真反映马铺乡干部截留危改补助"}).status_code == 302
    db.rollback()
    assert db.scalar(select(Clue).where(Clue.source == "fax")) is not None
    assert 'id="clues"' not in client.get("/staff/clues/").get_data(as_text=True)  # not theirs to read

    as_user(client, "jw")
    listing = client.get("/staff/clues/").get_data(as_text=True)
    assert clue.number in listing and "传真" in listing


def test_staff_without_a_relation_get_404_for_every_clue(client, db, staff, filed):
    clue = clue_of(db, filed(ACCUSES_HUOTIAN, township_slug="huotian"))
    for username in ("l-mapu", "op1"):
        as_user(client, username)
        assert client.get(f"/staff/clues/{clue.number}").status_code == 404
        page = client.get("/staff/clues/new").get_data(as_text=True)
        response = client.post(f"/staff/clues/{clue.number}/act", data={
            "csrf_token": csrf_token_from(page), "action": "transfer-clue"})
        assert response.status_code == 404
    assert client.get("/staff/clues/XS999999").status_code == 404


def test_the_lead_unit_corrects_what_the_hazard_unit_reads(client, db, staff, filed):
    # The automatic split keeps a doubtful clause with the allegation: here all of it.
    complaint = filed("马铺乡村干部吃拿卡要，我家的土坯房一直没人来鉴定", township_slug="mapu")
    number = complaint.tracking_number
    as_user(client, "lead1")
    act_on_case(client, number, "accept")
    act_on_case(client, number, "assign", unit="housing", co_units_shown="1")
    response = act_on_case(client, number, "hazard-text-set", reason="我家的土坯房一直没人来鉴定")
    assert response.status_code == 302
    db.rollback()
    assert db.scalar(select(Complaint.hazard_description).where(
        Complaint.id == complaint.id)) == "我家的土坯房一直没人来鉴定"
    as_user(client, "l-huotian")  # not on the case
    assert client.get(f"/staff/cases/{number}").status_code == 404
    as_user(client, "l-mapu")  # the accused township
    assert client.get(f"/staff/cases/{number}").status_code == 404
