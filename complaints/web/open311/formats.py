"""The two wire formats of GeoReport v2: JSON, and XML with the specification's element names."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

FORMATS = ("json", "xml")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# In XML a list is a parent element holding one child per item, named as the spec names them.
ITEM_NAMES = {
    "services": "service", "attributes": "attribute", "values": "value",
    "service_requests": "request", "errors": "error", "endpoints": "endpoint",
    "formats": "format",
}


def render(payload: Any, fmt: str, root: str) -> str:
    """``payload`` (dicts, lists, strings, numbers, booleans, None) as JSON, or as XML under
    the element ``root``."""
    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False)
    element = _element(root, payload)
    return ElementTree.tostring(element, encoding="unicode", xml_declaration=True)


def _element(name: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(ITEM_NAMES[name], item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = XML_ILLEGAL.sub("", str(value))
    return element


def error_body(code: int, description: str, fmt: str) -> str:
    return render([{"code": code, "description": description}], fmt, "errors")
