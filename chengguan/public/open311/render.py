"""One value, two formats: JSON, and the XML the spec requires (no namespace, UTF-8, lists as repeated items).

The XML is a mechanical mapping of the JSON (the spec's "Spark convention"): a list becomes its container
element holding one item element per entry (`services/service`, `attributes/attribute`, ...), a dict becomes
child elements, `None` an empty element, booleans `true`/`false`.
"""

import json
import re
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

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


def _escape(text: str) -> str:
    """What ElementTree escapes in element text: &, < and >."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _fill(parts: list, tag: str, value) -> None:
    """Append the XML of `value` as element `tag`, written as ElementTree writes it (`<tag />` when empty)."""
    if isinstance(value, dict):
        if not value:
            parts.append(f"<{tag} />")
            return
        parts.append(f"<{tag}>")
        for key, item in value.items():
            _fill(parts, key, item)
        parts.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append(f"<{tag} />")
            return
        parts.append(f"<{tag}>")
        item_tag = ITEM_TAGS.get(tag, "item")
        for item in value:
            _fill(parts, item_tag, item)
        parts.append(f"</{tag}>")
    else:
        text = _text(value)
        parts.append(f"<{tag}>{_escape(text)}</{tag}>" if text else f"<{tag} />")


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def to_xml(root: str, value) -> str:
    parts = [XML_DECLARATION]
    _fill(parts, root, value)
    return "".join(parts)


def respond(fmt: str, root: str, value, *, status: int = 200) -> HttpResponse:
    """`root` names the XML document element (`services`, `service_requests`, `discovery`, ...)."""
    body = json.dumps(value, ensure_ascii=False) if fmt == "json" else to_xml(root, value)
    response = HttpResponse(body.encode("utf-8"), status=status, content_type=FORMATS.get(fmt, XML_TYPE))
    response["Access-Control-Allow-Origin"] = "*"
    return response


CHUNK_ITEMS = 50  # items per streamed chunk


def chunks(fmt: str, root: str, items: Iterable[dict]) -> Iterator[bytes]:
    """The bytes of `respond(fmt, root, list(items))`, a chunk per `CHUNK_ITEMS` items."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    item_tag = ITEM_TAGS.get(root, "item")
    parts: list[str] = []
    count = 0
    for item in items:
        if not count:
            parts.append("[" if fmt == "json" else f"{XML_DECLARATION}<{root}>")
        elif fmt == "json":
            parts.append(", ")
        if fmt == "json":
            parts.append(encode(item))
        else:
            _fill(parts, item_tag, item)
        count += 1
        if count % CHUNK_ITEMS == 0:
            yield "".join(parts).encode("utf-8")
            parts = []
    if not count:
        parts.append("[]" if fmt == "json" else f"{XML_DECLARATION}<{root} />")
    else:
        parts.append("]" if fmt == "json" else f"</{root}>")
    yield "".join(parts).encode("utf-8")


def stream(fmt: str, root: str, items: Iterable[dict], *, streaming: bool) -> HttpResponse:
    """A list answer built item by item: streamed (no Content-Length, chunked) when `streaming`, else joined."""
    body = chunks(fmt, root, items)
    content_type = FORMATS.get(fmt, XML_TYPE)
    if streaming:
        response = StreamingHttpResponse(body, content_type=content_type)
    else:
        response = HttpResponse(b"".join(body), content_type=content_type)
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
