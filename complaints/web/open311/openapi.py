"""The OpenAPI 3 document of the GeoReport v2 endpoints, served at /open311/v2/openapi.json."""

from __future__ import annotations

from typing import Any

from complaints.core.limits import ADDRESS_MAX, DESCRIPTION_MAX, EMAIL_MAX, MEDIA_URL_MAX, PHONE_MAX
from complaints.intake.open311 import MAX_NUMBERS, MAX_RESULTS, NAME_PART_MAX

NULLABLE_TEXT = {"type": "string", "nullable": True}
W3C_TIME = {"type": "string", "format": "date-time", "nullable": True}

SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type"],
           "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                          "description": {"type": "string"}, "metadata": {"type": "boolean"},
                          "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                          "keywords": {"type": "string"}, "group": {"type": "string"}}}
VALUE = {"type": "object", "required": ["key", "name"],
         "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}
ATTRIBUTE = {"type": "object", "required": ["variable", "code", "datatype", "required", "order",
                                            "description"],
             "properties": {"variable": {"type": "boolean"}, "code": {"type": "string"},
                            "datatype": {"type": "string", "enum": [
                                "string", "number", "datetime", "text", "singlevaluelist",
                                "multivaluelist"]},
                            "required": {"type": "boolean"},
                            "datatype_description": {"type": "string"},
                            "order": {"type": "integer"}, "description": {"type": "string"},
                            "values": {"type": "array", "items": VALUE}}}
DEFINITION = {"type": "object", "required": ["service_code", "attributes"],
              "properties": {"service_code": {"type": "string"},
                             "attributes": {"type": "array", "items": ATTRIBUTE}}}
REQUEST = {"type": "object",
           "required": ["service_request_id", "status", "service_code", "requested_datetime"],
           "properties": {
               "service_request_id": {"type": "string"},
               "status": {"type": "string", "enum": ["open", "closed"]},
               "status_notes": NULLABLE_TEXT, "service_name": {"type": "string"},
               "service_code": {"type": "string"}, "description": {"type": "string"},
               "agency_responsible": {"type": "string"}, "service_notice": NULLABLE_TEXT,
               "requested_datetime": W3C_TIME, "updated_datetime": W3C_TIME,
               "expected_datetime": W3C_TIME, "address": NULLABLE_TEXT,
               "address_id": NULLABLE_TEXT, "zipcode": NULLABLE_TEXT,
               "media_url": NULLABLE_TEXT}}
FILED = {"type": "object", "required": ["service_request_id", "service_notice"],
         "properties": {"service_request_id": {"type": "string"},
                        "service_notice": {"type": "string"}, "account_id": NULLABLE_TEXT}}
ERRORS = {"type": "array", "minItems": 1,
          "items": {"type": "object", "required": ["code", "description"],
                    "properties": {"code": {"type": "integer"},
                                   "description": {"type": "string"}}}}
DISCOVERY = {"type": "object", "required": ["changeset", "endpoints"],
             "properties": {"changeset": {"type": "string"}, "contact": {"type": "string"},
                            "key_service": {"type": "string"},
                            "endpoints": {"type": "array", "items": {"type": "object"}}}}

JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False,
                "schema": {"type": "string", "maxLength": 100}}


def _answers(fmt: str, ok: dict[str, Any] | None, *errors: int) -> dict[str, Any]:
    def body(schema: dict[str, Any]) -> dict[str, Any]:
        if fmt == "json":
            return {"application/json": {"schema": schema}}
        return {"text/xml": {"schema": {"type": "string"}}}

    answers: dict[str, Any] = {}
    if ok is not None:
        answers["200"] = {"description": "OK", "content": body(ok)}
    for code in (*errors, 429):
        answers[str(code)] = {"description": "error", "content": body(ERRORS)}
    return answers


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def openapi_document(server_url: str) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    text = {"type": "string"}
    for fmt in ("json", "xml"):
        paths[f"/discovery.{fmt}"] = {"get": {
            "summary": "Service discovery", "responses": _answers(fmt, DISCOVERY)}}
        paths[f"/services.{fmt}"] = {"get": {
            "summary": "The services: one per complaint category", "parameters": [JURISDICTION],
            "responses": _answers(fmt, {"type": "array", "items": SERVICE}, 400)}}
        paths[f"/services/{{service_code}}.{fmt}"] = {"get": {
            "summary": "A service's attributes",
            "parameters": [{"name": "service_code", "in": "path", "required": True,
                            "schema": {"type": "string", "maxLength": 40,
                                       "pattern": "^[a-z-]+$"}}, JURISDICTION],
            "responses": _answers(fmt, DEFINITION, 400, 404)}}
        paths[f"/requests.{fmt}"] = {
            "get": {
                "summary": "Service requests received in at most 90 days, newest first",
                "parameters": [
                    JURISDICTION,
                    {**_query("service_request_id",
                              {"type": "string", "maxLength": MAX_NUMBERS * 22}),
                     "description": f"At most {MAX_NUMBERS} comma-separated tracking numbers; "
                                    "a number with no public record is left out."},
                    _query("service_code", {"type": "string", "maxLength": 400}),
                    _query("start_date", {"type": "string", "format": "date-time"}),
                    _query("end_date", {"type": "string", "format": "date-time"}),
                    _query("status", {"type": "string", "enum": ["open", "closed", "open,closed"]}),
                    _query("page", {"type": "integer", "minimum": 1, "maximum": 1000000}),
                    _query("page_size", {"type": "integer", "minimum": 1,
                                         "maximum": MAX_RESULTS}),
                ],
                "responses": _answers(fmt, {"type": "array", "items": REQUEST,
                                            "maxItems": MAX_RESULTS}, 400)},
            "post": {
                "summary": "File a complaint (routed like any other, channel api)",
                "requestBody": {"required": True, "content": {
                    "application/x-www-form-urlencoded": {"schema": {
                        "type": "object", "required": ["api_key", "service_code", "description"],
                        "properties": {
                            "api_key": {"type": "string", "maxLength": 200},
                            "jurisdiction_id": {"type": "string", "maxLength": 100},
                            "service_code": {"type": "string", "maxLength": 40},
                            "lat": {"type": "number", "minimum": -90, "maximum": 90},
                            "long": {"type": "number", "minimum": -180, "maximum": 180},
                            "address_string": {"type": "string", "maxLength": ADDRESS_MAX},
                            "description": {"type": "string", "maxLength": DESCRIPTION_MAX},
                            "first_name": {"type": "string", "maxLength": NAME_PART_MAX},
                            "last_name": {"type": "string", "maxLength": NAME_PART_MAX},
                            "phone": {"type": "string", "maxLength": PHONE_MAX},
                            "email": {"type": "string", "maxLength": EMAIL_MAX},
                            "media_url": {"type": "string", "maxLength": MEDIA_URL_MAX},
                            "attribute[township]": text,
                            "attribute[village]": text,
                            "attribute[house_structure]": text,
                            "attribute[household_type]": text,
                            "attribute[misconduct]": {"type": "string",
                                                      "enum": ["true", "false"]},
                        }}}}},
                "responses": _answers(fmt, {"type": "array", "items": FILED}, 400, 403, 404)},
        }
        paths[f"/requests/{{service_request_id}}.{fmt}"] = {"get": {
            "summary": "One service request; a number with no public record is 404",
            "parameters": [{"name": "service_request_id", "in": "path", "required": True,
                            "schema": {"type": "string", "maxLength": 40,
                                       "pattern": "^[A-Za-z0-9-]+$"}}, JURISDICTION],
            "responses": _answers(fmt, {"type": "array", "items": REQUEST,
                                        "minItems": 1, "maxItems": 1}, 400, 404)}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "云霄县农村低收入群体住房安全投诉举报 Open311 GeoReport v2",
                 "version": "2"},
        "servers": [{"url": server_url}],
        "paths": paths,
    }
