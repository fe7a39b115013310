"""One value, two formats: JSON, and the XML the spec requires (no namespace, UTF-8, lists as repeated items).

The XML is a mechanical mapping of the JSON (the spec's "Spark convention"): a list becomes its container
element holding one item element per entry (`services/service`, `attributes/attribute`, ...), a dict becomes
child elements, `None` an empty element, booleans `true`/`false`.
"""

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = {"json": JSON_TYPE, "xml": XML_TYPE}
# Item element of each list container.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "notes": "note",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "photos": "photo",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_INVALID.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")


def respond(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    """`root` names the XML document element (`services`, `service_requests`, `discovery`, ...)."""
    body = json.dumps(value, ensure_ascii=False) if fmt == "json" else to_xml(root, value)
    response = HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS.get(fmt, XML_TYPE))
    response["Access-Control-Allow-Origin"] = "*"
    return response


class Open311Error(Exception):
    """Spec errors: 400 (bad or missing input), 403 (api_key), 404 (unknown service, request or jurisdiction).

    The body is an array of `{code, description}`; `code` may be more specific than the HTTP status."""

    def __init__(self, status: int, description: str, *, code: int | str | None = None):
        super().__init__(description)
        self.status = status
        self.errors = [{"code": code if code is not None else status, "description": description}]


def error_response(fmt: str, exc: Open311Error) -> HttpResponse:
    response = respond(fmt if fmt in FORMATS else "xml", "errors", exc.errors, status=exc.status)
    if exc.status == 429:
        response["Retry-After"] = str(getattr(exc, "retry_after", 60))
    return response
