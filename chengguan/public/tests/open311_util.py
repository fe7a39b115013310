"""Validation helpers for the Open311 tests: the official JSON Schemas (with their relative `$ref`s), a format
checker for `date-time` and `uri`, and an XML reader that maps the XML back to the JSON shape."""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from chengguan.public.open311.render import ITEM_TAGS

SCHEMAS = Path(__file__).parent / "schemas"
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("the spec requires a time zone")
    return True


@FORMATS.checks("uri", raises=ValueError)
def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = urlparse(value)
    if not parsed.scheme or not parsed.netloc:
        raise ValueError("not an absolute URI")
    return True


def _load(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


_registry = Registry().with_resources(
    (name, Resource.from_contents(_load(name), default_specification=DRAFT7))
    for name in ("request.json", "requests.json", "service.json", "services.json", "service-definition.json")
)
_swagger = _load("swagger.json")


def _swagger_array(definition: str) -> dict:
    return {
        "type": "array",
        "items": {"$ref": f"#/definitions/{definition}"},
        "definitions": _swagger["definitions"],
    }


SCHEMA_FOR = {
    "services": _load("services.json"),
    "service_definition": _load("service-definition.json"),
    "requests": _load("requests.json"),
    "post": _swagger_array("RequestResponse"),
    "token": _swagger_array("TokenResponse"),
    "discovery": _load("discovery.json"),
    "errors": _load("errors.json"),
}


def validate(kind: str, data) -> None:
    """Raise jsonschema.ValidationError unless `data` is valid (formats checked too)."""
    validator = Draft7Validator(SCHEMA_FOR[kind], registry=_registry, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise errors[0]


def from_xml(text: bytes | str):
    """The XML document as the JSON shape: list containers become lists, other elements dicts or text."""
    root = ET.fromstring(text)
    return _element(root)


def _element(element):
    children = list(element)
    if element.tag in ITEM_TAGS:
        return [_element(c) for c in children]
    if children:
        return {c.tag: _element(c) for c in children}
    return element.text or ""


def as_xml_text(value):
    """The JSON value as the XML would carry it (all text; null and empty lists empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: as_xml_text(v) for k, v in value.items()} if value else ""
    if isinstance(value, list):
        return [as_xml_text(v) for v in value]
    return str(value)


def same_content(json_value, xml_text) -> bool:
    parsed = from_xml(xml_text)
    expected = as_xml_text(json_value)
    if isinstance(expected, list) and parsed == "":
        parsed = []
    return parsed == expected
