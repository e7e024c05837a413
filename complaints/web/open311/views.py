"""The Open311 GeoReport v2 endpoints under /open311/v2/. Thin: parse, one operation, render."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, request, url_for

from complaints.cases.identities import reporter_field
from complaints.cases.public import receipt
from complaints.core.clock import now_utc
from complaints.core.messages import t
from complaints.core.vocabulary import Channel
from complaints.db.models import Complaint
from complaints.intake.api_keys import client_for_key
from complaints.intake.filing import FilingError, file_complaint
from complaints.intake.open311 import (
    Open311Error,
    filed_answer,
    find_request,
    find_requests,
    invalid,
    missing,
    new_complaint,
    parse_search,
    request_record,
    service_definition,
    service_list,
)
from complaints.web.boundary import components, db_session
from complaints.web.limits import RateLimit, rate_limited
from complaints.web.open311.formats import CONTENT_TYPES, FORMATS, error_body, render
from complaints.web.open311.openapi import openapi_document
from complaints.web.security import csrf

PREFIX = "/open311/v2"
FORMAT = f"<any({', '.join(FORMATS)}):fmt>"
CHANGESET = "2026-11-28T00:00:00+08:00"  # when these endpoints last changed

bp = Blueprint("open311", __name__, url_prefix=PREFIX)
# Errors anywhere under the prefix, unknown paths included, answer in the API's format.
bp.error_prefix = PREFIX + "/"  # type: ignore[attr-defined]
csrf.exempt(bp)  # no cookies here: the API key is the credential


def _api_key_limit_key() -> str:
    key = request.form.get("api_key", "")
    return "open311-key:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:32]


def _asks_by_number() -> bool:
    return bool((request.args.get("service_request_id") or "").strip())


READ_LIMIT = RateLimit("open311_read_limit_per_address", scope="open311-read", methods=("GET",))
# Lookups by tracking number, on both paths that take one, count against one budget.
LOOKUP_LIMIT = RateLimit("open311_lookup_limit_per_address", scope="open311-lookup",
                         methods=("GET",), shared=True)
LIST_LOOKUP_LIMIT = RateLimit("open311_lookup_limit_per_address", scope="open311-lookup",
                              methods=("GET",), applies_when=_asks_by_number, shared=True)
POST_LIMITS = (
    RateLimit("open311_post_limit_per_address", scope="open311-post-address"),
    RateLimit("open311_post_limit_per_key", scope="open311-post-key", key=_api_key_limit_key),
)


def _answer(payload: Any, fmt: str, root: str, status: int = 200) -> Response:
    response = Response(render(payload, fmt, root), status=status, content_type=CONTENT_TYPES[fmt])
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data, read by other sites' apps
    return response


def _record(complaint: Complaint) -> dict[str, Any]:
    tools = components().tools
    reporter = complaint.reporter
    # The reporter's own name is starred wherever the text repeats it.
    name = reporter_field(tools.vault, reporter, "name") if complaint.channel is Channel.API else None
    return request_record(complaint, tools.table, tools.calendar, name)


def _fmt_of_path() -> str:
    return "xml" if request.path.endswith(".xml") else "json"


def error_answer(status: int, description: str) -> Response:
    fmt = _fmt_of_path()
    response = Response(error_body(status, description, fmt), status=status,
                        content_type=CONTENT_TYPES[fmt])
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


HTTP_ERROR_KEYS = {400: "bad_request", 403: "bad_key", 404: "not_found", 405: "method",
                   413: "too_large", 429: "rate_limited", 500: "server", 503: "unavailable"}


def http_error_answer(status: int, wait_minutes: int | None = None) -> Response:
    """Werkzeug's and the limiter's errors, in the specification's format."""
    return error_answer(status, t(f"open311.error.{HTTP_ERROR_KEYS.get(status, 'bad_request')}",
                                  minutes=wait_minutes or 1))


bp.error_answer = http_error_answer  # type: ignore[attr-defined]


@bp.errorhandler(Open311Error)
def _open311_error(error: Open311Error) -> Response:
    return error_answer(error.status, error.description)


@bp.route(f"/discovery.{FORMAT}")
@rate_limited(READ_LIMIT)
def discovery(fmt: str) -> Response:
    base = components().settings.public_base_url.rstrip("/") + PREFIX
    payload = {
        "changeset": CHANGESET,
        "contact": t("open311.discovery_contact"),
        "key_service": t("open311.key_service"),
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": base,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    }
    return _answer(payload, fmt, "discovery")


@bp.route(f"/services.{FORMAT}")
@rate_limited(READ_LIMIT)
def services_list(fmt: str) -> Response:
    return _answer(service_list(components().table), fmt, "services")


@bp.route(f"/services/<service_code>.{FORMAT}")
@rate_limited(READ_LIMIT)
def service(service_code: str, fmt: str) -> Response:
    return _answer(service_definition(components().table, service_code), fmt, "service_definition")


@bp.route(f"/requests.{FORMAT}", methods=["GET"])
@rate_limited(READ_LIMIT, LIST_LOOKUP_LIMIT)
def requests_list(fmt: str) -> Response:
    tools = components().tools
    search = parse_search(tools.table, request.args, now_utc())
    records = [_record(c) for c in find_requests(db_session(), search)]
    return _answer(records, fmt, "service_requests")


@bp.route(f"/requests.{FORMAT}", methods=["POST"])
@rate_limited(*POST_LIMITS)
def requests_new(fmt: str) -> Response:
    api_key = request.form.get("api_key", "")
    if not api_key:
        raise missing("api_key")
    session = db_session()
    client = client_for_key(session, api_key)
    if client is None:
        raise Open311Error(403, t("open311.error.bad_key"))
    tools = components().tools
    new = new_complaint(tools.table, request.form, source=client.name)
    try:
        filed = file_complaint(session, tools, new)
    except FilingError as error:
        raise invalid({"reporter_phone": "phone", "reporter_name": "first_name"}.get(
            error.field, error.field)) from None
    facts = receipt(filed.complaint, filed.query_code, tools.table, tools.calendar)
    response = _answer(filed_answer(filed.complaint, facts), fmt, "service_requests")
    if not filed.complaint.alleges_misconduct:  # a misconduct report has no public record
        response.headers["Location"] = url_for(".request_one", fmt=fmt,
                                               service_request_id=filed.complaint.tracking_number)
    return response


@bp.route(f"/requests/<service_request_id>.{FORMAT}")
@rate_limited(READ_LIMIT, LOOKUP_LIMIT)
def request_one(service_request_id: str, fmt: str) -> Response:
    complaint = find_request(db_session(), service_request_id)
    return _answer([_record(complaint)], fmt, "service_requests")


@bp.route("/openapi.json")
@rate_limited(READ_LIMIT)
def openapi() -> Response:
    base = components().settings.public_base_url.rstrip("/") + PREFIX
    return _answer(openapi_document(base), "json", "openapi")

