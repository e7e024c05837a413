"""What each role sees in the staff console; another unit's case is simply not there."""

import re
from datetime import UTC

import pytest
from sqlalchemy import select

from complaints.core.vocabulary import Channel, Role
from complaints.db.models import Attachment, Unit
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import csrf_token_from, log_in

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def cases(db, tools, vault):
    units = {unit.slug: unit for unit in db.scalars(select(Unit))}

    def filed(township, responsible, co_units=(), **fields):
        complaint = file_complaint(db, tools, NewComplaint(
            channel=fields.pop("channel", Channel.WEB), township_slug=township,
            description=fields.pop("description", "土坯房墙裂了"), **fields,
        )).complaint
        complaint.responsible_unit = units[responsible]
        complaint.co_units = [units[slug] for slug in co_units]
        return complaint

    made = {
        "huotian": filed("huotian", "huotian", ("housing",), reporter_name="林秀英",
                         reporter_phone="13055441314"),
        "yunling": filed("yunling", "housing", ("yunling",), reporter_phone="13900001111"),
        "misconduct": filed("huotian", "huotian", alleges_misconduct=True,
                            reporter_name="知情人", reporter_phone="13799998888",
                            description="县民政局的工作人员收红包才给评低保。我家土坯房墙裂了"),
        "accuses-huotian": filed("huotian", "housing", alleges_misconduct=True,
                                 reporter_name="知情人", reporter_phone="13799997777",
                                 description="火田镇村建所的干部收了钱才给办危房改造"),
        "hotline": filed("mapu", "mapu", channel=Channel.HOTLINE),
    }
    # A photo on each of the two cases the liaison test compares.
    for key in ("huotian", "yunling"):
        db.add(Attachment(complaint=made[key], content_type="image/png", byte_size=len(PNG),
                          sha256="0" * 64, data=PNG))
    db.commit()
    return {key: complaint.tracking_number for key, complaint in made.items()}


def staff_case_routes(app):
    """Every staff URL that names a case: new ones are covered the day they are added."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("staff",) and "tracking_number" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def request_case(client, app, rule, method, tracking_number):
    extra = {}
    if "photo_id" in rule.arguments:
        from complaints.db.models import Attachment, Complaint

        with app.extensions["complaints"].session_factory() as session:
            photo = session.scalar(select(Attachment.id).join(Complaint).where(
                Complaint.tracking_number == tracking_number))
        extra["photo_id"] = photo or 999999
    with app.test_request_context():
        from flask import url_for

        url = url_for(rule.endpoint, tracking_number=tracking_number, **extra)
    if method == "GET":
        return client.get(url)
    token = csrf_token_from(client.get("/staff/").get_data(as_text=True))
    return client.open(url, method=method, data={"csrf_token": token})


def without_csrf_token(response) -> str:
    """The page with its CSRF token blanked: the token carries a timestamp that
    changes from one second to the next, everything else must be identical."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""',
                  response.get_data(as_text=True))


def test_there_are_case_routes_to_check(app):
    assert list(staff_case_routes(app))


def test_liaison_gets_404_for_another_units_case_on_every_route(app, client, make_user, cases):
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "l-huotian")
    for rule, method in staff_case_routes(app):
        other = request_case(client, app, rule, method, cases["yunling"])
        missing = request_case(client, app, rule, method, "YX20000101-9999")
        assert other.status_code == 404, (rule.rule, method)
        # Indistinguishable from a case that does not exist.
        assert without_csrf_token(other) == without_csrf_token(missing)
        assert request_case(client, app, rule, method, cases["huotian"]).status_code != 404


def test_co_unit_liaison_sees_the_case(client, make_user, cases):
    make_user("l-yunling", Role.LIAISON, "yunling")
    log_in(client, "l-yunling")
    assert client.get(f"/staff/cases/{cases['yunling']}").status_code == 200
    assert client.get(f"/staff/cases/{cases['huotian']}").status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, cases):
    response = client.get(f"/staff/cases/{cases['huotian']}")
    assert response.status_code == 302 and "/staff/login" in response.location


def test_lead_sees_the_reporter_in_full(client, make_user, cases):
    make_user("lead1", Role.LEAD, "housing")
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{cases['huotian']}").get_data(as_text=True)
    assert "林秀英" not in page and "130****1314" in page  # until asked for
    page = client.post(f"/staff/cases/{cases['huotian']}/identity",
                       data={"csrf_token": csrf_token_from(page)}).get_data(as_text=True)
    assert "林秀英" in page and "+8613055441314" in page
    assert "查看举报人身份" in page  # and the view is in the case's history


def test_who_was_shown_an_identity_is_recorded_for_the_lead_and_the_commission(
        client, make_user, cases):
    make_user("lead1", Role.LEAD, "housing")
    make_user("jw", Role.COMMISSION, "discipline-commission")
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "lead1")
    page = client.get(f"/staff/cases/{cases['huotian']}").get_data(as_text=True)
    client.post(f"/staff/cases/{cases['huotian']}/identity", data={"csrf_token": csrf_token_from(page)})
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(page)})
    log_in(client, "jw")
    views = client.get("/staff/identity-views").get_data(as_text=True)
    assert cases["huotian"] in views and "lead1" in views
    client.post("/staff/logout", data={"csrf_token": csrf_token_from(views)})
    # The unit does not see who looked, nor can it look at the full identity.
    log_in(client, "l-huotian")
    assert client.get("/staff/identity-views").status_code == 403
    page = client.get(f"/staff/cases/{cases['huotian']}").get_data(as_text=True)
    assert "查看举报人身份" not in page
    assert client.post(f"/staff/cases/{cases['huotian']}/identity",
                       data={"csrf_token": csrf_token_from(page)}).status_code == 403


def test_liaison_sees_the_phone_masked_and_no_name(client, make_user, cases):
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "l-huotian")
    page = client.get(f"/staff/cases/{cases['huotian']}").get_data(as_text=True)
    assert "130****1314" in page
    assert "林秀英" not in page and "13055441314" not in page


def test_liaison_sees_the_hazard_and_nothing_of_the_accusation_or_its_reporter(
        client, make_user, cases):
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "l-huotian")
    page = client.get(f"/staff/cases/{cases['misconduct']}").get_data(as_text=True)
    assert "我家土坯房墙裂了" in page
    assert "红包" not in page and "民政局的工作人员" not in page
    assert "知情人" not in page and "8888" not in page
    assert "仅牵头单位和纪委监委可见" in page
    assert "本件反映的其他内容已另行处理" in page
    # Nor the flag, the routing's reasons, or a link to the clue.
    assert "涉嫌违纪" not in page and "XS0" not in page and 'id="routing"' not in page


def test_the_accused_township_never_learns_of_the_case(client, make_user, cases):
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "l-huotian")
    number = cases["accuses-huotian"]
    assert client.get(f"/staff/cases/{number}").status_code == 404
    for path in ("/staff/", f"/staff/cases?q={number}", "/staff/cases?q=村建所",
                 "/staff/clues/"):
        page = client.get(path).get_data(as_text=True)
        assert f"/staff/cases/{number}" not in page and "村建所的干部" not in page, path


def test_dashboard_lists_only_what_the_role_may_see(client, make_user, cases):
    make_user("l-huotian", Role.LIAISON, "huotian")
    log_in(client, "l-huotian")
    page = client.get("/staff/").get_data(as_text=True)
    assert cases["huotian"] in page and cases["misconduct"] in page
    assert cases["yunling"] not in page and cases["hotline"] not in page
    assert "共 2 件" in page


def test_operator_dashboard_shows_phone_cases(client, make_user, cases):
    make_user("op", Role.OPERATOR)
    log_in(client, "op")
    page = client.get("/staff/").get_data(as_text=True)
    assert cases["hotline"] in page and cases["huotian"] not in page


def test_admin_manages_accounts_and_sees_no_cases(client, make_user, cases):
    make_user("root", Role.ADMIN)
    make_user("l-mapu", Role.LIAISON, "mapu")
    log_in(client, "root")
    page = client.get("/staff/").get_data(as_text=True)
    assert "l-mapu" in page and "马铺乡" in page
    assert not any(number in page for number in cases.values())
    assert client.get(f"/staff/cases/{cases['huotian']}").status_code == 404


def test_times_are_shown_in_the_county_time_zone(client, make_user, db, tools, vault):
    from datetime import datetime

    from complaints.core.clock import frozen_at

    make_user("lead1", Role.LEAD, "housing")
    with frozen_at(datetime(2026, 11, 28, 17, 30, tzinfo=UTC)):
        number = file_complaint(db, tools, NewComplaint(
            channel=Channel.WEB, description="墙裂了")).complaint.tracking_number
    db.commit()
    log_in(client, "lead1")
    assert "2026-11-29 01:30" in client.get(f"/staff/cases/{number}").get_data(as_text=True)
