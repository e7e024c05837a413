"""An existing Open311 client library, `georeport`, reads this service over real HTTP in JSON
and in XML. It has no call to file a request, so filing is a plain form POST with `requests`;
the request is then followed through `georeport` until staff resolve it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from complaints.cases import policy
from complaints.cases.operations import ActionRequest, perform
from complaints.core.vocabulary import EventKind, Outcome, Role
from complaints.db.models import Complaint
from complaints.intake.api_keys import issue_key

georeport = pytest.importorskip("georeport")
requests = pytest.importorskip("requests")


@pytest.fixture
def endpoint(app, serve):
    return serve(app) + "/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_definitions(app, endpoint, fmt):
    client = georeport.GeoReport(endpoint, output_format=fmt)
    services = client.get_service_list()
    codes = [service["service_code"] for service in services]
    assert codes == list(app.extensions["complaints"].table.category_slugs)
    # XML carries every value as text; JSON keeps the boolean.
    assert services[0]["metadata"] in (True, "true")
    definition = client.get_service_definition("disaster-damage")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == [
        "township", "village", "house_structure", "household_type", "misconduct"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_request_filed_over_http_is_followed_with_georeport(endpoint, db, tools, make_user, fmt):
    key = issue_key(db, "county-platform")
    db.commit()
    filed = requests.post(f"{endpoint}/requests.json", data={
        "api_key": key, "service_code": "disaster-damage", "lat": "23.95", "long": "117.34",
        "attribute[township]": "xiahe", "description": "台风把屋顶掀了一半，住不了人",
    }, timeout=10)
    assert filed.status_code == 200, filed.text
    number = filed.json()[0]["service_request_id"]

    client = georeport.GeoReport(endpoint, output_format=fmt)
    request = client.get_service_request(number)
    assert request["service_request_id"] == number and request["status"] == "open"
    assert request["service_code"] == "disaster-damage"
    listed = client.get_service_requests(service_request_id=number)
    listed = [listed] if isinstance(listed, dict) else listed  # xmltodict: one item, no list
    assert [r["service_request_id"] for r in listed] == [number]

    lead = make_user("lead1", Role.LEAD, "housing")
    complaint = db.scalar(select(Complaint).where(Complaint.tracking_number == number))
    for action, fields in ((EventKind.ACCEPT, {}), (EventKind.ASSIGN, {}), (EventKind.START, {}),
                           (EventKind.RESOLVE, {"outcome": Outcome.RECTIFIED,
                                             "reason": "屋顶已修复"})):
        perform(db, tools, complaint, ActionRequest(action, **fields),
                policy.relations(lead, complaint), lead)
    db.commit()

    request = client.get_service_request(number)
    assert request["status"] == "closed"
    assert request["status_notes"] == "已办结：已整改"
    assert request["agency_responsible"] == "县住建局"
    assert client.get_service_requests(status="closed")
