"""Open311 GeoReport v2 through HTTP: filing with a key, reading services and requests in
JSON and XML, errors in the specification's format, and nothing private in public answers."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from complaints.cases import policy
from complaints.cases.operations import ActionRequest, perform
from complaints.core.clock import now_utc
from complaints.core.vocabulary import Channel, EventKind, Outcome, Role
from complaints.db.models import ApiClient, CaseEvent, Complaint, OutboxMessage
from complaints.intake.api_keys import issue_key, revoke_key
from complaints.intake.filing import NewComplaint, file_complaint

API = "/open311/v2"


@pytest.fixture
def api_key(db):
    key = issue_key(db, "wechat-mini-program")
    db.commit()
    return key


def file(client, api_key, fmt="json", **fields):
    data = {"api_key": api_key, "service_code": "dangerous-house",
            "description": "我家老房子墙裂了一条大缝，下雨天怕塌", "attribute[township]": "huotian",
            **fields}
    return client.post(f"{API}/requests.{fmt}", data=data)


def test_a_filed_request_is_a_routed_complaint_with_its_deadline(client, db, api_key):
    answer = file(client, api_key, first_name="三", last_name="张", phone="13055441314",
                  email="zhang@example.cn", **{"attribute[village]": "岳坑村",
                                                "attribute[house_structure]": "earth",
                                                "attribute[household_type]": "minimum-allowance"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    (filed,) = answer.get_json()
    number = filed["service_request_id"]
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.channel is Channel.API
    assert complaint.category == "dangerous-house" and complaint.township.slug == "huotian"
    assert complaint.village == "岳坑村" and complaint.house_structure.value == "earth"
    assert complaint.household_type.value == "minimum-allowance"
    assert complaint.reporter is not None and complaint.reporter.email_sealed is not None
    # The notice names the number, a query code for the status page, and the day.
    assert number in filed["service_notice"] and "查询码" in filed["service_notice"]
    received = db.scalar(select(CaseEvent).where(CaseEvent.complaint_id == complaint.id))
    assert received.details["source"] == "wechat-mini-program"
    # The reporter gave a phone: the receipt goes out by SMS like a web report's.
    assert db.scalar(select(OutboxMessage).where(OutboxMessage.complaint_id == complaint.id))
    client_row = db.scalar(select(ApiClient))
    db.refresh(client_row)
    assert client_row.last_used_at is not None


def test_filing_in_xml_answers_in_xml(client, api_key):
    answer = file(client, api_key, fmt="xml")
    assert answer.status_code == 200 and answer.content_type.startswith("text/xml")
    root = ElementTree.fromstring(answer.get_data())
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.startswith("YX")


def test_the_township_can_come_from_the_address(client, db, api_key):
    answer = file(client, api_key, address_string="马铺乡梅岭村村口第三户",
                  **{"attribute[township]": ""})
    number = answer.get_json()[0]["service_request_id"]
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    assert complaint.township.slug == "mapu" and complaint.address == "马铺乡梅岭村村口第三户"


@pytest.mark.parametrize("fields, status, words", [
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "flying-cars"}, 404, "flying-cars"),
    ({"description": ""}, 400, "description"),
    ({"description": "裂" * 4001}, 400, "4000"),
    ({"attribute[township]": "", "lat": "", "long": ""}, 400, "lat"),
    ({"lat": "24.1"}, 400, "long"),
    ({"lat": "nan", "long": "117.3"}, 400, "lat"),
    ({"lat": "24.1", "long": "200"}, 400, "long"),
    ({"attribute[township]": "atlantis"}, 400, "attribute[township]"),
    ({"attribute[colour]": "red"}, 400, "colour"),
    ({"attribute[misconduct]": "maybe"}, 400, "attribute[misconduct]"),
    ({"phone": "not a phone"}, 400, "phone"),
    ({"email": "no-at-sign"}, 400, "email"),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url"),
])
def test_bad_parameters_are_refused_in_the_specification_format(client, db, api_key, fields,
                                                                 status, words):
    answer = file(client, api_key, **fields)
    assert answer.status_code == status
    (error,) = answer.get_json()
    assert error["code"] == status and words in error["description"]
    assert db.scalar(select(Complaint.id)) is None


def test_keys_missing_wrong_or_revoked_are_refused(client, db, api_key):
    missing = client.post(f"{API}/requests.json", data={"service_code": "dangerous-house"})
    assert missing.status_code == 400 and "api_key" in missing.get_json()[0]["description"]
    assert file(client, "yx311_" + "x" * 43).status_code == 403
    revoke_key(db, "wechat-mini-program")
    db.commit()
    refused = file(client, api_key, fmt="xml")
    assert refused.status_code == 403
    assert ElementTree.fromstring(refused.get_data()).find("error/code").text == "403"
    assert db.scalar(select(Complaint.id)) is None


def test_one_key_is_rate_limited(make_app, db):
    app = make_app(OPEN311_POST_LIMIT_PER_KEY="2 per hour")
    key, other_key = issue_key(db, "provincial-platform"), issue_key(db, "county-platform")
    db.commit()
    client = app.test_client()
    assert [file(client, key).status_code for _ in range(3)] == [200, 200, 429]
    limited = file(client, key, fmt="xml")
    assert limited.status_code == 429
    assert "分钟" in ElementTree.fromstring(limited.get_data()).find("error/description").text
    # The limit is the key's: another client from the same address is still served.
    assert file(client, other_key).status_code == 200


def test_services_and_definitions_follow_the_routing_table(client, app):
    table = app.extensions["complaints"].table
    services = client.get(f"{API}/services.json").get_json()
    assert [s["service_code"] for s in services] == list(table.category_slugs)
    dangerous = next(s for s in services if s["service_code"] == "dangerous-house")
    assert dangerous["metadata"] is True and dangerous["type"] == "realtime"
    assert "县住建局" in dangerous["description"] and "5个工作日" in dangerous["description"]
    definition = client.get(f"{API}/services/dangerous-house.xml")
    root = ElementTree.fromstring(definition.get_data())
    township = next(a for a in root.iter("attribute") if a.find("code").text == "township")
    assert township.find("datatype").text == "singlevaluelist"
    assert {v.find("key").text for v in township.iter("value")} == {
        u.slug for u in table.townships}
    assert client.get(f"{API}/services/nope.json").status_code == 404


def test_discovery_names_this_endpoint(client):
    discovery = client.get(f"{API}/discovery.xml")
    root = ElementTree.fromstring(discovery.get_data())
    assert root.find("endpoints/endpoint/url").text.endswith("/open311/v2")
    assert {f.text for f in root.iter("format")} == {"application/json", "text/xml"}


def test_a_request_is_followed_until_staff_resolve_it(client, db, tools, make_user, api_key):
    number = file(client, api_key, phone="13055441314").get_json()[0]["service_request_id"]
    record = client.get(f"{API}/requests/{number}.json").get_json()[0]
    assert record["status"] == "open" and record["agency_responsible"] == "县住建局"
    assert record["expected_datetime"].endswith("+08:00")

    lead = make_user("lead1", Role.LEAD, "housing")
    liaison = make_user("l-huotian", Role.LIAISON, "huotian")
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    for user, request in ((lead, ActionRequest(EventKind.ACCEPT)),
                          (lead, ActionRequest(EventKind.ASSIGN, unit="huotian")),
                          (liaison, ActionRequest(EventKind.START)),
                          (liaison, ActionRequest(EventKind.RESOLVE, outcome=Outcome.RECTIFIED,
                                            reason="已拆除重建")),
                          (lead, ActionRequest(EventKind.NOTE, reason="内部：户主难沟通"))):
        perform(db, tools, complaint, request, policy.relations(user, complaint), user)
    db.commit()

    record = client.get(f"{API}/requests/{number}.xml")
    request_element = ElementTree.fromstring(record.get_data()).find("request")
    assert request_element.find("status").text == "closed"
    assert request_element.find("agency_responsible").text == "火田镇"
    assert request_element.find("status_notes").text == "已办结：已整改"
    # Staff free text, to the reporter or internal, stays off the public API.
    assert "已拆除重建" not in record.get_data(as_text=True)
    assert "户主难沟通" not in record.get_data(as_text=True)


def test_public_answers_hold_no_identity_and_withhold_misconduct_reports(client, db, tools,
                                                                         api_key):
    plain = file(client, api_key, first_name="三", last_name="张", phone="13055441314",
                 description="张三家房子裂了，电话13055441314").get_json()[0]
    clue = file(client, api_key, description="村干部把危房改造补助给了亲戚",
                **{"attribute[misconduct]": "true"}).get_json()[0]
    web = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="李四家的土坯房墙裂了", township_slug="mapu")).complaint
    db.commit()
    listing = client.get(f"{API}/requests.json")
    text = listing.get_data(as_text=True)
    assert "13055441314" not in text and "5441314" not in text and "张三" not in text
    records = {r["service_request_id"]: r for r in listing.get_json()}
    assert records[plain["service_request_id"]]["description"] == "**家房子裂了，电话***********"
    # A resident's own form, SMS or call was not written for publication.
    assert records[web.tracking_number]["description"] == "（内容不公开）"
    assert "李四" not in text
    # A misconduct report is not listed (its time could point at who made it), nor found by
    # its number: it answers as a number never given (tests/functional/test_whistleblower_leaks.py).
    assert clue["service_request_id"] not in records
    withheld = client.get(f"{API}/requests/{clue['service_request_id']}.json")
    assert withheld.status_code == 404 and "补助" not in withheld.get_data(as_text=True)
    # The query code of the filing answer is never shown again.
    code = plain["service_notice"].split("查询码 ")[1][:6]
    assert code not in text


def test_control_characters_are_refused_and_xml_stays_well_formed(client, db, tools, api_key):
    refused = file(client, api_key, description="房子\x00裂了")
    assert refused.status_code == 400 and "description" in refused.get_json()[0]["description"]
    assert file(client, api_key, **{"attribute[village]": "岳\x0b坑"}).status_code == 400
    # Text from another channel with such a character still gives parseable XML.
    web = file_complaint(db, tools, NewComplaint(
        channel=Channel.WEB, description="房子\x01裂了", township_slug="mapu",
        village="梅\x01岭")).complaint
    db.commit()
    answer = client.get(f"{API}/requests/{web.tracking_number}.xml")
    assert ElementTree.fromstring(answer.get_data()).find("request/address").text == "马铺乡梅岭"


def test_listing_filters_by_id_code_status_and_dates(client, db, api_key):
    first = file(client, api_key).get_json()[0]["service_request_id"]
    second = file(client, api_key, service_code="leaks-drafts",
                  description="屋顶漏雨").get_json()[0]["service_request_id"]
    def ids(**params):
        answer = client.get(f"{API}/requests.json", query_string=params)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [r["service_request_id"] for r in answer.get_json()]
    assert ids() == [second, first]  # newest first
    assert ids(service_code="leaks-drafts") == [second]
    assert ids(service_request_id=f"{first},{second}", service_code="leaks-drafts") == [
        second, first]
    assert ids(status="closed") == [] and ids(status="open") == [second, first]
    assert ids(page_size=1) == [second] and ids(page_size=1, page=2) == [first]
    later = (now_utc() + timedelta(days=1)).isoformat()
    assert ids(start_date=later) == []
    long_ago = (now_utc() - timedelta(days=200)).isoformat()
    assert ids(start_date=long_ago) == []  # 90 days from then


@pytest.mark.parametrize("params, words", [
    ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
    ({"start_date": "yesterday"}, "start_date"),
    ({"start_date": "9999-12-31T23:00:00-12:00"}, "start_date"),
    ({"end_date": "0001-01-01T00:00:00+14:00"}, "end_date"),
    ({"status": "pending"}, "status"),
    ({"service_code": "flying-cars"}, "service_code"),
    ({"page_size": "1001"}, "page_size"),
    ({"page": "0"}, "page"),
    ({"page": "²"}, "page"),
    ({"service_request_id": "YX1,\x00"}, "service_request_id"),
    ({"service_request_id": ",".join(f"YX20261128-{n:04d}" for n in range(1, 12))}, "10"),
    ({"page_size": "①"}, "page_size"),
])
def test_bad_searches_are_400(client, params, words):
    answer = client.get(f"{API}/requests.json", query_string=params)
    assert answer.status_code == 400 and words in answer.get_json()[0]["description"]


def test_unknown_request_and_unknown_path_are_404_in_format(client):
    missing = client.get(f"{API}/requests/YX20000101-9999.xml")
    assert missing.status_code == 404
    assert ElementTree.fromstring(missing.get_data()).find("error/code").text == "404"
    assert client.get(f"{API}/requests/%00.json").status_code == 404
    assert client.get(f"{API}/requests.html").status_code == 404
    assert client.get(f"{API}/requests.html").get_json()[0]["code"] == 404


def test_api_key_commands(app, db):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["api-keys", "create", "county-platform"])
    key = created.output.strip()
    assert created.exit_code == 0 and key.startswith("yx311_")
    stored = db.scalar(select(ApiClient).where(ApiClient.name == "county-platform"))
    assert key not in (stored.key_hash, stored.name)  # only the hash is kept
    assert runner.invoke(args=["api-keys", "create", "county-platform"]).exit_code != 0
    assert "active" in runner.invoke(args=["api-keys", "list"]).output
    assert runner.invoke(args=["api-keys", "revoke", "county-platform"]).exit_code == 0
    assert "revoked" in runner.invoke(args=["api-keys", "list"]).output
    client = app.test_client()
    assert file(client, key).status_code == 403
