"""The security review's leaks that pointed at whistleblowers, tried the way an attacker would.

1. The public Open311 API: walking a day's tracking numbers must not tell a misconduct report
   from a number never given, to the byte; lookups by number are few per request and per
   client address.
2. The hotline operators' caller search: a misconduct report is never found by its reporter's
   number, the search is rate-limited (a masked 130****1314 is 10,000 searches from the whole
   number) and every search is in the security log, without the number.

(The third, spreadsheet cells read as formulas, is tests/storage/test_report_files.py.)
"""

from __future__ import annotations

import json
import logging
import re
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from complaints.core.vocabulary import Channel, Role
from complaints.db.models import Complaint
from complaints.intake.api_keys import issue_key
from complaints.intake.filing import NewComplaint, file_complaint
from tests.conftest import log_in
from tests.functional.test_hotline import call_form
from tests.functional.test_security_log import security_lines

API = "/open311/v2"
PHONE = "13055441314"
ACCUSATION = "村干部收红包才给报危房，房子裂了"


@pytest.fixture
def api_key(db):
    key = issue_key(db, "wechat-mini-program")
    db.commit()
    return key


def file(client, api_key, **fields):
    data = {"api_key": api_key, "service_code": "dangerous-house",
            "description": "我家老房子墙裂了一条大缝，下雨天怕塌", "attribute[township]": "huotian",
            **fields}
    answer = client.post(f"{API}/requests.json", data=data)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer


@pytest.fixture
def day(client, db, tools, api_key):
    """One day's filings, in order: public, ticked misconduct, public, web misconduct,
    misconduct the engine found in the words alone, public."""
    numbers = [file(client, api_key).get_json()[0]["service_request_id"]]
    ticked = file(client, api_key, description="村干部把危房改造补助给了亲戚",
                  **{"attribute[misconduct]": "true"})
    numbers.append(ticked.get_json()[0]["service_request_id"])
    numbers.append(file(client, api_key, service_code="leaks-drafts",
                        description="屋顶漏雨").get_json()[0]["service_request_id"])
    for new in (NewComplaint(Channel.WEB, "火田镇我家房子墙裂了，村干部收了钱", township_slug="huotian",
                             alleges_misconduct=True),
                NewComplaint(Channel.API, ACCUSATION, township_slug="huotian")):
        numbers.append(file_complaint(db, tools, new).complaint.tracking_number)
    db.commit()
    numbers.append(file(client, api_key).get_json()[0]["service_request_id"])
    flagged = set(db.scalars(select(Complaint.tracking_number)
                             .where(Complaint.alleges_misconduct.is_(True))))
    assert flagged == {numbers[1], numbers[3], numbers[4]}  # the engine found the fifth
    assert len({n[:-4] for n in numbers}) == 1  # one day, numbered in order
    return {"numbers": numbers, "public": [numbers[0], numbers[2], numbers[5]],
            "misconduct": [numbers[1], numbers[3], numbers[4]], "filing": ticked}


def walk(first: str, count: int = 10) -> list[str]:
    prefix, start = first[:-4], int(first[-4:])
    return [f"{prefix}{n:04d}" for n in range(start, start + count)]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_walking_a_days_numbers_lists_no_misconduct_report(client, day, fmt):
    asked = walk(day["numbers"][0])
    assert set(day["numbers"]) <= set(asked)
    answer = client.get(f"{API}/requests.{fmt}", query_string={"service_request_id": ",".join(asked)})
    assert answer.status_code == 200
    if fmt == "json":
        found = [r["service_request_id"] for r in answer.get_json()]
    else:
        found = [e.text for e in ElementTree.fromstring(answer.get_data()).iter("service_request_id")]
    assert sorted(found) == sorted(day["public"])
    text = answer.get_data(as_text=True)
    assert not any(number in text for number in day["misconduct"])
    # Nor does the plain listing, nor a search by category, nor the open ones.
    for params in ({}, {"service_code": "dangerous-house"}, {"status": "open"}):
        listed = client.get(f"{API}/requests.json", query_string=params).get_data(as_text=True)
        assert not any(number in listed for number in day["misconduct"])


def headers(response):
    # The limiter's countdown (its X-RateLimit-* and Retry-After seconds) changes with every
    # request, whatever was asked for: on a slow machine two answers fall in different seconds.
    return [(name, "" if name.startswith("X-RateLimit-") or name == "Retry-After" else value)
            for name, value in response.headers.items()]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_misconduct_number_answers_exactly_as_a_number_never_given(client, day, fmt):
    never_given = walk(day["numbers"][-1], 50)[-1]
    missing = client.get(f"{API}/requests/{never_given}.{fmt}")
    assert missing.status_code == 404
    for number in day["misconduct"]:
        for asked in (number, number.lower()):
            answer = client.get(f"{API}/requests/{asked}.{fmt}")
            assert answer.status_code == missing.status_code
            assert answer.get_data() == missing.get_data()  # byte for byte, nothing taken out
            assert headers(answer) == headers(missing)
    # Asked for among others, it is missing as a number never given is: left out.
    public = day["public"][0]
    mixed = client.get(f"{API}/requests.{fmt}",
                       query_string={"service_request_id": f"{public},{day['misconduct'][0]}"})
    alone = client.get(f"{API}/requests.{fmt}",
                       query_string={"service_request_id": f"{public},{never_given}"})
    assert mixed.get_data() == alone.get_data()


def test_the_filing_answer_of_a_misconduct_report_points_at_no_public_record(day):
    assert "Location" not in day["filing"].headers
    assert day["filing"].get_json()[0]["service_request_id"] == day["misconduct"][0]


def test_one_request_asks_for_at_most_ten_numbers(client, day):
    asked = walk(day["numbers"][0], 11)
    refused = client.get(f"{API}/requests.json", query_string={"service_request_id": ",".join(asked)})
    assert refused.status_code == 400
    [error] = refused.get_json()
    assert error["code"] == 400 and "10" in error["description"] and "service_request_id" in (
        error["description"])
    xml = client.get(f"{API}/requests.xml", query_string={"service_request_id": ",".join(asked)})
    assert ElementTree.fromstring(xml.get_data()).find("error/code").text == "400"
    assert client.get(f"{API}/requests.json", query_string={
        "service_request_id": ",".join(asked[:10])}).status_code == 200


def test_lookups_by_number_are_rate_limited_per_address(make_app, db):
    app = make_app(OPEN311_LOOKUP_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    number = "YX20261128-0001"
    # The one-request path and the list path spend the same budget.
    assert client.get(f"{API}/requests/{number}.json").status_code == 404
    assert client.get(f"{API}/requests.json",
                      query_string={"service_request_id": number}).status_code == 200
    assert client.get(f"{API}/requests/{number}.xml").status_code == 404
    limited = client.get(f"{API}/requests.json", query_string={"service_request_id": number})
    assert limited.status_code == 429
    [error] = json.loads(limited.get_data())
    assert error["code"] == 429 and "分钟" in error["description"]
    assert client.get(f"{API}/requests/{number}.json").status_code == 429
    # Reading without numbers is not a lookup: neither counted nor refused.
    assert client.get(f"{API}/requests.json").status_code == 200
    assert client.get(f"{API}/services.json").status_code == 200


# -- the hotline operators' caller search ------------------------------------------------

def caller_cases(client, phone=PHONE):
    page = client.get("/staff/calls/", query_string={"phone": phone})
    assert page.status_code == 200, page.status_code
    section = page.get_data(as_text=True).split('id="caller-cases"')[1].split("</ul>")[0]
    return set(re.findall(r"YX\d{8}-\d{4}", section))


@pytest.fixture
def operator(app, make_user):
    make_user("op1", Role.OPERATOR)
    client = app.test_client()
    log_in(client, "op1")
    return client


@pytest.fixture
def callers_cases(operator, db, tools):
    """One caller's number on a plain call, a misconduct call, a web misconduct report and a
    plain web report."""
    call_form(operator, save="1")
    call_form(operator, save="1", misconduct="y", summary="来电人称：" + ACCUSATION)
    for new in (NewComplaint(Channel.WEB, "火田镇村干部优亲厚友，危房补助给了亲戚",
                             township_slug="huotian", alleges_misconduct=True, reporter_phone=PHONE),
                NewComplaint(Channel.WEB, "火田镇我家房子墙裂了", township_slug="huotian",
                             reporter_phone=PHONE)):
        file_complaint(db, tools, new)
    db.commit()
    cases = db.scalars(select(Complaint).order_by(Complaint.id)).all()
    assert [(c.channel, c.alleges_misconduct) for c in cases] == [
        (Channel.HOTLINE, False), (Channel.HOTLINE, True), (Channel.WEB, True), (Channel.WEB, False)]
    return [c.tracking_number for c in cases]


def test_a_caller_search_never_finds_a_misconduct_report(app, operator, callers_cases, make_user):
    plain_call, misconduct_call, misconduct_web, plain_web = callers_cases
    assert caller_cases(operator) == {plain_call}
    assert caller_cases(operator, "+86 130 5544 1314") == {plain_call}
    # The lead unit covers the console too, sees every channel, and still finds neither.
    make_user("lead", Role.LEAD, "housing")
    lead = app.test_client()
    log_in(lead, "lead")
    assert caller_cases(lead) == {plain_call, plain_web}


def test_caller_searches_are_limited_per_account(make_app, make_user):
    app = make_app(CALLER_SEARCH_LIMIT_PER_ACCOUNT="3 per hour")
    make_user("op1", Role.OPERATOR)
    make_user("op2", Role.OPERATOR)
    first, second = app.test_client(), app.test_client()
    log_in(first, "op1")
    log_in(second, "op2")
    for middle in ("0000", "0001", "0002"):
        assert first.get("/staff/calls/", query_string={"phone": f"130{middle}1314"}).status_code == 200
    refused = first.get("/staff/calls/", query_string={"phone": "13000031314"})
    assert refused.status_code == 429
    assert "操作太频繁" in refused.get_data(as_text=True)
    # The console itself stays open, and the limit is this account's.
    assert first.get("/staff/calls/").status_code == 200
    assert second.get("/staff/calls/", query_string={"phone": PHONE}).status_code == 200


def test_caller_searches_are_limited_per_address(make_app, make_user):
    app = make_app(CALLER_SEARCH_LIMIT_PER_ADDRESS="2 per hour")
    make_user("op1", Role.OPERATOR)
    make_user("op2", Role.OPERATOR)
    first, second = app.test_client(), app.test_client()
    log_in(first, "op1")
    log_in(second, "op2")
    assert first.get("/staff/calls/", query_string={"phone": "13000001314"}).status_code == 200
    assert first.get("/staff/calls/", query_string={"phone": "13000011314"}).status_code == 200
    # Another account from the same address: the address's budget is spent.
    assert second.get("/staff/calls/", query_string={"phone": "13000021314"}).status_code == 429


def test_each_caller_search_is_logged_without_the_number(operator, callers_cases, caplog):
    caplog.set_level(logging.INFO, logger="complaints")
    caller_cases(operator, "130 5544 1314")
    caller_cases(operator, "+8613055441314")
    operator.get("/staff/calls/", query_string={"phone": "12"})  # not a number: still logged
    operator.get("/staff/calls/")  # no search, no line
    lines = [line for line in security_lines(caplog) if line.startswith("caller searched")]
    assert len(lines) == 3
    assert all("user=op1" in line and "source=" in line for line in lines)
    digests = [re.search(r"phone=(\S+)", line).group(1) for line in lines]
    assert digests[0] == digests[1] != digests[2]  # the same number, however written
    assert "found=1" in lines[0]
    for line in lines:
        facts = re.sub(r"(source|phone)=\S+", "", line)
        assert "5544" not in facts and "1314" not in facts and "127.0.0.1" not in facts
