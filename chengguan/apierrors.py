"""The API's one error body, and the refusals made before a request reaches an operation: parameters beyond
what the database or the calendar can hold (an integer past 64 bits, a date in year 9999, a NUL byte), unknown
— each as `{"detail", "code", "field"}`.

Pages get the same guard for ids in their URLs: `/cases/99999999999999999999999/` is simply not there (404),
instead of an OverflowError from SQLite."""

import re
from datetime import datetime

from django.http import Http404, JsonResponse
from django.utils.dateparse import parse_date, parse_datetime

ERROR_STATUSES = {
    400: "Bad request: a rule refused the input (`field` names it)",
    401: "No or invalid credentials",
    403: "The caller may not do this",
    404: "Not found, or outside the caller's data scope",
    409: "Conflict: the object changed or its state forbids the action",
    422: "Invalid input (`field` names it; `errors` lists every problem)",
    429: "Too many requests (see Retry-After)",
}
ERROR_CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited"}
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
YEARS = (1900, 2200)
API_PREFIX = "/api/v1/"


def error_body(detail: str, code: str, field: str | None) -> dict:
    return {"detail": detail, "code": code, "field": field or None}


def out_of_range_int(value: str) -> bool:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return not INT_MIN <= number <= INT_MAX


def out_of_range_time(value: str) -> bool:
    """A date/time that parses but lies outside the years a case can have (its offset arithmetic overflows)."""
    try:
        parsed = parse_datetime(value) or parse_date(value)
    except (ValueError, OverflowError):
        return False  # unparseable: the operation's own validation names it
    if parsed is None:
        return False
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        try:
            parsed.utcoffset()
        except (ValueError, OverflowError):
            return True
    return not YEARS[0] <= parsed.year <= YEARS[1]


class _Parameters:
    """For each API path (a regex from its OpenAPI template): the kind of each query and path parameter."""

    def __init__(self):
        self.routes = None

    def load(self):
        from chengguan.api import api

        routes = []
        for template, methods in api.get_openapi_schema(path_prefix=API_PREFIX.rstrip("/"))["paths"].items():
            pattern = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "/?$")
            kinds = {}
            for method, spec in methods.items():
                for p in spec.get("parameters", []):
                    kinds[(method.upper(), p["in"], p["name"])] = _kind(p.get("schema", {}))
            routes.append((pattern, kinds))
        self.routes = routes
        return routes

    def refusal(self, request) -> tuple[str, str] | None:
        """(field, reason) of the first parameter out of range, or None."""
        for pattern, kinds in self.routes if self.routes is not None else self.load():
            match = pattern.match(request.path)
            if not match:
                continue
            values = [("path", k, v) for k, v in match.groupdict().items()]
            values += [("query", k, v) for k in request.GET for v in request.GET.getlist(k)]
            for where, name, value in values:
                if "\x00" in value:
                    return name, f"{name}: NUL characters are not allowed"
                kind = kinds.get((request.method, where, name))
                if kind == "integer" and out_of_range_int(value):
                    return name, f"{name}: the number is out of range"
                if kind == "time" and out_of_range_time(value):
                    return name, f"{name}: the date is out of range ({YEARS[0]}–{YEARS[1]}, offset within ±24 h)"
            return None
        return None


def _kind(schema) -> str | None:
    options = schema.get("anyOf", [schema])
    for option in options:
        if option.get("type") == "integer":
            return "integer"
        if option.get("format") in ("date-time", "date"):
            return "time"
    return None


PARAMETERS = _Parameters()


def _nul(request) -> str | None:
    for key in request.GET:
        if "\x00" in key or any("\x00" in v for v in request.GET.getlist(key)):
            return key.replace("\x00", "")
    return None


class ApiErrorsMiddleware:
    """Refuse out-of-range parameters and NUL characters before the operation runs (422 naming the field)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refusal = PARAMETERS.refusal(request)
        if refusal:
            return JsonResponse(error_body(refusal[1], "invalid", refusal[0]), status=422)
        field = _nul(request) or ("path" if "\x00" in request.path else None)
        if field is not None:
            return JsonResponse(error_body(f"{field}: NUL characters are not allowed", "invalid", field), status=422)
        return self.get_response(request)  # (unrouted 404/405: SecurityHeadersMiddleware answers them as JSON)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Page URLs: an integer id beyond 64 bits names nothing."""
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
                raise Http404("no such object")
        return None
