"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests, tokens, and
FixMyStreet's `servicerequestupdates` extension.

Every call answers in XML or JSON after the format suffix (`services.xml`, `requests/KF2026-000001.json`).
Errors follow the spec: 400 (bad input), 403 (api_key), 404 (unknown service, request or jurisdiction),
each an array of `{code, description}`; 429 when a key or address sends too much.
"""

import functools
import math
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from chengguan.cases.services.intake import DESCRIPTION_MAX_LENGTH, PHONE_RE
from chengguan.core.errors import DomainError

from .. import conf
from ..models import Open311Changeset
from ..services import open311 as svc
from ..services.ratelimit import RateLimited, client_ip, hit, window
from . import catalog, requests
from .listing import Serialiser
from .render import FORMATS, Open311Error, error_response, respond, stream

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FIRST_CHANGESET = "2026-01-01T00:00:00+08:00"
_ATTRIBUTE_RE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
STREAM_ABOVE = 100  # a GET requests answer of more items is streamed (chunked, no Content-Length)


def open311_view(methods=("GET",)):
    """Check the format and `jurisdiction_id`; turn every error into the spec's error array."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, fmt, **kwargs):
            fmt = fmt.lower()
            try:
                if fmt not in FORMATS:
                    raise Open311Error(400, f"Unknown format {fmt!r}: use xml or json", code="invalid_format")
                if request.method not in methods:
                    error = Open311Error(
                        405,
                        f"method {request.method} not allowed: use {', '.join(methods)}",
                        code="method_not_allowed",
                    )
                    response = error_response(fmt, error)
                    response["Allow"] = ", ".join(methods)
                    return response
                _check_nul(request, kwargs)
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return error_response(fmt, exc)
            except RateLimited as exc:
                error = Open311Error(429, exc.message, code=429)
                error.retry_after = exc.retry_after
                return error_response(fmt, error)
            except DomainError as exc:
                status = exc.status if exc.status in (403, 404) else 400
                return error_response(fmt, Open311Error(status, exc.message, code=exc.code))

        return wrapper

    return decorate


def _param(request, name: str) -> str:
    """POST body first, then the query string (some clients send api_key there); empty equals absent."""
    value = request.POST.get(name) if request.method == "POST" else None
    if value in (None, ""):
        value = request.GET.get(name)
    return (value or "").strip()


def _check_nul(request, path_values) -> None:
    for name, value in path_values.items():
        if "\x00" in value:
            raise Open311Error(400, f"{name} contains a NUL character", code="invalid_parameter")
    data = request.POST if request.method == "POST" else {}
    for source in (request.GET, data):
        for name in source:
            if "\x00" in name or any("\x00" in v for v in source.getlist(name)):
                raise Open311Error(
                    400, f"{name.replace(chr(0), '')} contains a NUL character", code="invalid_parameter"
                )


def _check_jurisdiction(request) -> None:
    wanted = _param(request, "jurisdiction_id")
    ours = conf.jurisdiction_id()
    if wanted and ours and wanted != ours:
        raise Open311Error(404, f"jurisdiction_id {wanted} not found", code="jurisdiction_not_found")


def _changeset() -> str:
    row = Open311Changeset.objects.filter(pk=1).first()
    return row.changed_at.isoformat(timespec="seconds") if row else FIRST_CHANGESET


@open311_view()
def discovery(request, fmt):
    changeset = _changeset()
    base = request.build_absolute_uri(reverse("open311-root"))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": conf.open311_contact(),
            "key_service": conf.open311_key_service(),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rstrip("/"),
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def root(request):
    """The endpoint's base URL: point people at discovery."""
    return HttpResponse(
        "Open311 GeoReport v2: see discovery.xml or discovery.json\n",
        content_type="text/plain; charset=utf-8",
    )


@open311_view()
def service_list(request, fmt):
    return respond(fmt, "services", catalog.service_list())


@open311_view()
def service_definition(request, fmt, code):
    return respond(fmt, "service_definition", catalog.service_definition(catalog.service_for(code)))


@open311_view(methods=("GET", "POST"))
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    rows, paging = requests.search(
        request.GET,
        now=timezone.now(),
        page_size=conf.open311_page_size(),
        page_size_max=conf.open311_page_size_max(),
    )
    # The rows are read (a pinned number of queries) before the answer starts; the serialisation is streamed
    # when the page holds more than the default page's items.
    items = Serialiser(rows, absolute=request.build_absolute_uri, extensions=paging["extensions"])
    response = stream(fmt, "service_requests", items, streaming=len(rows) > STREAM_ABOVE)
    return _with_next(request, response, paging["next"])


def _with_next(request, response, following: dict | None):
    """When more remain: `Link: <...next page...>; rel="next"` (RFC 8288), the body unchanged, so clients that
    ignore the header still read a valid answer."""
    if following:
        query = request.GET.copy()
        for name, value in following.items():
            query[name] = str(value)
        url = request.build_absolute_uri(request.path)
        response["Link"] = f'<{url}?{query.urlencode()}>; rel="next"'
    response["Access-Control-Expose-Headers"] = "Link"
    return response


@open311_view()
def service_request(request, fmt, number):
    extensions = (request.GET.get("extensions") or "").lower() == "true"
    row = requests.one(number, extensions=extensions)
    items = Serialiser([row], absolute=request.build_absolute_uri, extensions=extensions)
    return stream(fmt, "service_requests", items, streaming=False)


@open311_view()
def service_request_updates(request, fmt):
    """FixMyStreet's extension: the public updates of every request in a time window."""
    data, following = requests.updates(
        request.GET,
        now=timezone.now(),
        absolute=request.build_absolute_uri,
        page_size_max=conf.open311_updates_page_size(),
    )
    return _with_next(request, respond(fmt, "service_request_updates", data), following)


@open311_view()
def token(request, fmt, token):
    try:
        submission = svc.submission_for_token(token)
    except DomainError:
        raise Open311Error(404, f"token {token} not found", code="token_not_found") from None
    if submission.case_id:
        item = {"service_request_id": submission.case.number, "token": submission.token}
        return respond(fmt, "service_requests", [item])
    if submission.status != submission.Status.PENDING:  # discarded (or its case removed): never pending again
        raise Open311Error(
            404,
            f"token {token} was refused: the report could not be placed or registered",
            code="token_refused",
        )
    if svc.submission_expired(submission, now=timezone.now()):
        raise Open311Error(
            404,
            f"token {token} expired: the report was not placed within {conf.open311_token_hours():g} hours",
            code="token_expired",
        )
    response = respond(fmt, "service_requests", [{"token": submission.token}])
    # When the answer becomes definitive at the latest; not `Expires`, which would let caches keep "pending".
    response["X-Token-Expires"] = svc.submission_expires_at(submission).isoformat(timespec="seconds")
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Expose-Headers"] = "X-Token-Expires"
    return response


# ---- POST requests -----------------------------------------------------------------------------------------


def _coordinate(request, name: str, low: float, high: float) -> float | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number", code="invalid_location") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise Open311Error(400, f"{name} is out of range", code="invalid_location")
    return value


def _attributes(request) -> dict:
    values: dict = {}
    for name in request.POST:
        match = _ATTRIBUTE_RE.match(name)
        if not match:
            continue
        if match.group(2):
            values[match.group(1)] = [v for v in request.POST.getlist(name) if v != ""]
        else:
            values[match.group(1)] = request.POST.get(name, "").strip()
    return {k: v for k, v in values.items() if v not in ("", [])}


def _contact(request) -> dict:
    email, phone, media_url = _param(request, "email"), _param(request, "phone"), _param(request, "media_url")
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise Open311Error(400, "email is not a valid address", code="invalid_email") from None
    if phone and not PHONE_RE.match(phone):
        raise Open311Error(400, "phone is not a valid phone number", code="invalid_phone")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except DjangoValidationError:
            raise Open311Error(400, "media_url must be an http(s) URL", code="invalid_media_url") from None
        if len(media_url) > 500:
            raise Open311Error(400, "media_url is longer than 500 characters", code="invalid_media_url")
    return {"email": email, "phone": phone, "media_url": media_url}


def _create(request, fmt):
    now = timezone.now()
    key = svc.open311_key_authenticate(_param(request, "api_key"))
    if key is None:
        hit("open311_ip", client_ip(request), now=now)  # guessing keys: limited per address
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    # Every request with a valid key counts against the key's limit, once: a submission with its INSERT (a
    # request over the limit writes nothing), a refused one in the error path (over the limit, 429 instead of
    # its error, as when the count came first); a window this process saw full is refused before any work.
    rate = window("open311_key", str(key.pk), now=now)
    try:
        submission = _submit(request, key, rate, now)
    except RateLimited:
        raise
    except Exception:
        rate.count(now)
        raise
    if submission.case_id:
        notice = _("Registered as case %(number)s; the supervision centre will accept and dispatch it.") % {
            "number": submission.case.number
        }
        item = {"service_request_id": submission.case.number, "service_notice": notice}
    else:
        notice = _(
            "Received; an operator will place it on the map and register it. Ask tokens/{token} for the case number."
        )
        item = {"token": submission.token, "service_notice": notice}
    if submission.account_id:  # the swagger schema allows no null here: omit it when absent
        item["account_id"] = submission.account_id
    return respond(fmt, "service_requests", [item])


def _submit(request, key, rate, now):
    """The request's fields checked (400 naming the field), then the submission (and its case) written."""
    matter = catalog.service_for(_param(request, "service_code"))
    lat = _coordinate(request, "lat", -90, 90)
    long = _coordinate(request, "long", -180, 180)
    address_string, address_id = _param(request, "address_string"), _param(request, "address_id")
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long must be given together", code="invalid_location")
    if lat is None and not (address_string or address_id):
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id", code="location_missing"
        )
    description = _param(request, "description")
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise Open311Error(
            400,
            f"description is longer than {DESCRIPTION_MAX_LENGTH} characters",
            code="description_too_long",
        )
    parsed = catalog.parse_attribute_values(matter, _attributes(request))
    return svc.open311_submit(
        key=key,
        matter=matter,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        description=description,
        first_name=_param(request, "first_name"),
        last_name=_param(request, "last_name"),
        device_id=_param(request, "device_id"),
        account_id=_param(request, "account_id"),
        attributes=parsed["extra"],
        severity=parsed["severity"],
        component=parsed["component"],
        observed_at=parsed["observed_at"],
        at=now,
        rate=rate,
        **_contact(request),
    )
