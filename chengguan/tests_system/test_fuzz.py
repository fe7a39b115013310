"""Schema-driven fuzzing of the JSON API (every operation of /api/v1/openapi.json) and of Open311 GeoReport v2
(its documented parameters), in-process, with a fixed budget and seed. No answer may be a 5xx; every 4xx must
carry a body that names the problem. Figures go to artifacts/fuzz.json and the terminal summary."""

import json
import logging
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chengguan.org.services import token_create

from .figures import record, write_json
from .fuzzing import NASTY_TEXT, operations, problem, undocumented

API_BUDGET = 500
OPEN311_BUDGET = 200
FUZZ_SETTINGS = settings(
    max_examples=API_BUDGET, derandomize=True, deadline=None, database=None, print_blob=False,
    suppress_health_check=list(HealthCheck), phases=["generate"],
)
STATS = {"api": {"requests": 0, "5xx": 0, "by_status": {}, "failures": []},
         "open311": {"requests": 0, "5xx": 0, "by_status": {}, "failures": []}}
PERSONAS = ["admin", "operator", "dispatcher", "supervisor", "officer", "department_handler", "outsider", None]


def _count(kind, method, url, response, body=None, nonconforming=None):
    s = STATS[kind]
    s["requests"] += 1
    s["by_status"][str(response.status_code)] = s["by_status"].get(str(response.status_code), 0) + 1
    if response.status_code >= 500:
        s["5xx"] += 1
    why = (problem(response) or nonconforming) if kind == "api" else open311_problem(response)
    if why and len(s["failures"]) < 50:
        s["failures"].append({"request": f"{method} {url}", "body": str(body)[:300], "problem": why,
                              "answer": response.content[:300].decode("utf-8", "replace")})


def _write_figures():
    write_json("fuzz.json", STATS)
    for kind in ("api", "open311"):
        record(f"fuzz: {kind} requests tried", STATS[kind]["requests"])
        record(f"fuzz: {kind} 5xx answers", STATS[kind]["5xx"])


@pytest.fixture
def world(city, settings):
    from chengguan.grids.testing import make_grids

    from . import scenario

    settings.MEDIA_ROOT = settings.MEDIA_ROOT / "fuzz"
    make_grids(city)
    cases = [scenario.report(city), scenario.dispatched_case(city)]
    tokens = {name: token_create(user=city[name])[1] for name in PERSONAS if name}
    return {"ids": [c.pk for c in cases] + [city.sanitation.pk, city["officer"].pk, 1], "tokens": tokens}


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Hundreds of expected 4xx answers would flood the captured log."""
    logger = logging.getLogger("django.request")
    level, logger.level = logger.level, logging.CRITICAL
    yield
    logger.setLevel(level)


def test_it_answers_every_fuzzed_api_request_without_a_server_error(world):
    client = Client(raise_request_exception=False)
    schema = client.get("/api/v1/openapi.json").json()
    ops = operations(schema)
    assert len(ops) >= 10
    record("fuzz: api operations in the OpenAPI document", len(ops))
    strategies = {op: op.strategy(world["ids"]) for op in ops}

    @FUZZ_SETTINGS
    @given(data=st.data())
    def one_request(data):
        op = data.draw(st.sampled_from(ops), label="operation")
        who = data.draw(st.sampled_from(PERSONAS), label="persona")
        path, query, body, content_type = data.draw(strategies[op], label="request")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world['tokens'][who]}"} if who else {}
        if op.method == "get":
            response = client.get(path, query, **headers)
        else:
            url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
            response = client.generic(op.method.upper(), url, body or b"", content_type=content_type or "", **headers)
        _count("api", op.method.upper(), path + ("?" + urlencode(query) if query else ""), response, body,
               undocumented(response, op))

    one_request()
    _write_figures()
    failures = STATS["api"]["failures"]
    assert not failures, json.dumps(failures[:10], ensure_ascii=False, indent=1)


# --- Open311 GeoReport v2 -----------------------------------------------------------------------------------


def open311_problem(response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if 400 <= status < 500:
        text = response.content.decode("utf-8", "replace")
        if response["Content-Type"].startswith("application/json"):
            try:
                body = json.loads(text)
            except ValueError:
                return f"{status} with a broken JSON body"
            if not (isinstance(body, list) and body and str(body[0].get("description", "")).strip()):
                return f"{status} without an error description: {text[:120]}"
        elif "<description>" not in text:
            return f"{status} without an error description: {text[:120]}"
    return None


OPEN311_PARAMS = {
    "jurisdiction_id": NASTY_TEXT | st.sampled_from(["kaifeng", "410200"]),
    "service_code": NASTY_TEXT | st.sampled_from(["06010", "0601", "01010", "99999"]),
    "lat": NASTY_TEXT | st.floats(allow_nan=True, allow_infinity=True).map(str) | st.just("34.8075"),
    "long": NASTY_TEXT | st.floats(allow_nan=True, allow_infinity=True).map(str) | st.just("114.3075"),
    "address_string": NASTY_TEXT, "address_id": NASTY_TEXT, "email": NASTY_TEXT | st.just("a@b.cn"),
    "device_id": NASTY_TEXT, "account_id": NASTY_TEXT, "first_name": NASTY_TEXT, "last_name": NASTY_TEXT,
    "phone": NASTY_TEXT | st.just("13912341234"), "description": NASTY_TEXT, "media_url": NASTY_TEXT,
    "service_request_id": NASTY_TEXT, "start_date": NASTY_TEXT | st.just("2026-03-01T00:00:00+08:00"),
    "end_date": NASTY_TEXT, "status": NASTY_TEXT | st.sampled_from(["open", "closed", "open,closed"]),
    "page": NASTY_TEXT, "page_size": NASTY_TEXT, "extensions": st.sampled_from(["true", "false", "x"]),
    "attribute[severity]": NASTY_TEXT, "attribute[x][]": NASTY_TEXT,
}
OPEN311_ENDPOINTS = [
    ("GET", "discovery"), ("GET", "services"), ("GET", "services/{code}"), ("GET", "requests"),
    ("POST", "requests"), ("GET", "requests/{number}"), ("GET", "tokens/{token}"),
]


def test_it_answers_every_fuzzed_open311_request_without_a_server_error(world):
    from chengguan.public.services.open311 import open311_key_create

    _key, api_key = open311_key_create(name="fuzz")
    client = Client(raise_request_exception=False)
    path_values = NASTY_TEXT.map(lambda v: v.replace("/", "_").replace("?", "_").strip() or "x") | st.sampled_from(
        ["06010", "0601", "x"]
    )

    @settings(FUZZ_SETTINGS, max_examples=OPEN311_BUDGET)
    @given(data=st.data())
    def one_request(data):
        method, endpoint = data.draw(st.sampled_from(OPEN311_ENDPOINTS))
        fmt = data.draw(st.sampled_from(["json", "xml", "JSON", "html"]))
        for name in ("code", "number", "token"):
            if "{" + name + "}" in endpoint:
                endpoint = endpoint.replace("{" + name + "}", data.draw(path_values))
        names = data.draw(st.lists(st.sampled_from(sorted(OPEN311_PARAMS)), max_size=8, unique=True))
        params = {n: data.draw(OPEN311_PARAMS[n]).replace("\x00", "") for n in names}
        if method == "POST" and data.draw(st.booleans()):
            params["api_key"] = api_key
        url = f"/open311/v2/{endpoint}.{fmt}"
        response = client.get(url, params) if method == "GET" else client.post(url, params)
        _count("open311", method, url, response, params)

    one_request()
    _write_figures()
    failures = STATS["open311"]["failures"]
    assert not failures, json.dumps(failures[:10], ensure_ascii=False, indent=1)


# --- beyond the schema (issue 17 item 4): huge integers, bad offsets, NUL, invalid UTF-8 --------------------------


# What the GET calls read (other names are ignored by them; POST gets every name below).
OPEN311_GET_PARAMS = ["jurisdiction_id", "service_code", "service_request_id", "start_date", "end_date",
                      "updated_after", "updated_before", "status", "page", "page_size", "extensions"]
OPEN311_QUERY_ENDPOINTS = ["discovery", "services", "services/06010", "requests", "requests/KF2026-000001",
                           "servicerequestupdates", "tokens/x"]


def test_no_parameter_of_any_operation_breaks_the_server_with_values_beyond_the_schema(world):
    """Each query and path parameter of every API operation, and each Open311 parameter on every Open311 call,
    gets each value of BEYOND_SCHEMA alone: the answer is a 4xx naming the problem or a normal answer, never 5xx."""
    from .fuzzing import BEYOND_SCHEMA, beyond_schema_requests

    client = Client(raise_request_exception=False)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world['tokens']['admin']}"}
    failures, tried = [], 0
    for op in operations(client.get("/api/v1/openapi.json").json()):
        for label, url, method in beyond_schema_requests(op, world["ids"][0]):
            if method == "get":
                response = client.get(url, **headers)
            else:
                response = client.generic(method.upper(), url, b"{}", content_type="application/json", **headers)
            tried += 1
            why = problem(response) or undocumented(response, op)
            if why:
                failures.append(f"{method.upper()} {url} ({label}): {why} {response.content[:160]!r}")
    for endpoint in OPEN311_QUERY_ENDPOINTS:
        for name in OPEN311_GET_PARAMS:
            for label, value in BEYOND_SCHEMA:
                for fmt in ("json", "xml") if endpoint == "requests" else ("json",):
                    url = f"/open311/v2/{endpoint}.{fmt}?{name}={value}"
                    response = client.get(url)
                    tried += 1
                    why = open311_problem(response)
                    if why:
                        failures.append(f"GET {url} ({label}): {why} {response.content[:160]!r}")
    from chengguan.public.services.open311 import open311_key_create

    api_key = open311_key_create(name="beyond")[1]
    for name in sorted(OPEN311_PARAMS):
        for label, value in BEYOND_SCHEMA:
            base = {"api_key": api_key, "service_code": "06010", "lat": "34.8075", "long": "114.3075"}
            body = "&".join(f"{k}={v}" for k, v in base.items() if k != name) + f"&{name}={value}"
            response = client.post("/open311/v2/requests.json", body,
                                   content_type="application/x-www-form-urlencoded")
            tried += 1
            why = open311_problem(response)
            if why:
                failures.append(f"POST requests.json {name}={value} ({label}): {why} {response.content[:160]!r}")
    record("fuzz: requests beyond the schema (api + open311)", tried)
    assert tried > 1500
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:40])


def _int_page_routes(patterns=None, prefix=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if not route.startswith(("api/", "admin/")):
                yield from _int_page_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern) and "<int:" in route:
            yield route


def test_huge_ids_in_page_urls_answer_not_found(world, city):
    """`<int:pk>` accepts any length of digits; an id beyond the database's integers is simply not there."""
    import re

    client = Client(raise_request_exception=False)
    client.force_login(city["admin"])
    routes = sorted(set(_int_page_routes()))
    assert len(routes) >= 10
    bad = []
    for route in routes:
        url = "/" + re.sub(r"<int:\w+>", "99999999999999999999999", re.sub(r"<str:\w+>", "x", route))
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status >= 500:
                bad.append(f"{method.upper()} {url}: {status}")
    record("fuzz: page routes tried with a huge id", len(routes))
    assert not bad, bad
