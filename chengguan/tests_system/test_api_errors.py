"""One error answer for the whole API and for Open311 (issue 17 items 4, 5, 8): every operation documents its
error answers with one `Error` schema; schema names are unique; every 4xx — domain errors, ninja's parse and
validation errors, unknown ids and URLs, methods a path does not take, parameters out of range — is in it."""

import importlib
import inspect
import json

from django.conf import settings
from django.test import Client
from ninja import Schema

from chengguan.org.services import token_create

ERROR_KEYS = {"detail", "code", "field"}


def _error(response, status):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) >= ERROR_KEYS and body["detail"] and body["code"], body
    return body


def test_every_operation_documents_its_error_answers_with_one_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["properties"]) >= ERROR_KEYS
    operations = 0
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            operations += 1
            for status in ("400", "401", "403", "404", "409", "422", "429"):
                ref = spec["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", f"{method} {path} {status}"
    assert operations >= 50


def test_schema_names_are_unique_across_the_apps_so_none_overwrites_another(db):
    seen = {}
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                assert name not in seen, f"{name} in {module.__name__} and {seen[name]}"
                seen[name] = module.__name__
    assert len(seen) > 20
    located = Client().get("/api/v1/openapi.json").json()["paths"]["/api/v1/geo/locate"]["post"]
    ref = located["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    props = Client().get("/api/v1/openapi.json").json()["components"]["schemas"][ref]["properties"]
    assert {"found", "outside", "results"} <= set(props)


def test_every_kind_of_4xx_answers_the_error_schema(city):
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=city['admin'])[1]}"}
    body = _error(client.post("/api/v1/geo/locate", b"{not json", content_type="application/json", **auth), 400)
    assert body["field"] == "body"
    _error(client.get("/api/v1/cases/999999", **auth), 404)
    _error(client.get("/api/v1/no-such-thing", **auth), 404)
    response = client.delete("/api/v1/cases", **auth)
    _error(response, 405)
    assert "GET" in response["Allow"]
    _error(client.get("/api/v1/cases"), 401)
    body = _error(client.get("/api/v1/cases?district_id=99999999999999999999999", **auth), 422)
    assert body["field"] == "district_id"
    body = _error(client.get("/api/v1/cases?since=9999-12-31T23:59:59-23:59", **auth), 422)
    assert body["field"] == "since"
    body = _error(client.get("/api/v1/cases?q=a%00b", **auth), 422)
    assert body["field"] == "q"
    body = _error(client.get("/api/v1/geo/unit-grids/a%00b", **auth), 422)
    assert body["field"] == "code"
    body = _error(client.get("/api/v1/cases?page=99999999999999999999999", **auth), 422)
    assert body["field"] == "page"
    body = _error(client.get("/api/v1/cases?page=0", **auth), 422)
    assert body["field"] == "page"
    assert client.get("/api/v1/cases?page=1", **auth).status_code == 200  # the positive control


def test_huge_ids_in_page_urls_are_not_found(city):
    client = Client()
    client.force_login(city["admin"])
    from chengguan.grids.testing import make_grids

    from . import scenario

    make_grids(city)
    case = scenario.report(city)
    assert client.get("/cases/99999999999999999999999/").status_code == 404
    assert client.get("/patrol/staff/99999999999999999999999/").status_code == 404
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_open311_answers_its_error_format_for_405_bad_dates_and_pages(db):
    client = Client()
    response = client.delete("/open311/v2/services.json")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert json.loads(response.content)[0]["code"] == "method_not_allowed"
    response = client.put("/open311/v2/requests.xml")
    assert response.status_code == 405 and b"<errors><error><code>method_not_allowed" in response.content
    for query in ("start_date=2026-01-01T00:00:00%2B99:00", "end_date=0000-01-01T00:00:00",
                  "updated_after=9999-12-31T23:59:59-23:59", "page=99999999999999999999999", "page=0",
                  "status=a%00b"):
        response = client.get(f"/open311/v2/requests.json?{query}")
        assert response.status_code == 400, (query, response.content[:200])
        assert json.loads(response.content)[0]["description"], query
    response = client.get("/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00%2B99:00")
    assert response.status_code == 400
    assert client.get("/open311/v2/requests.json?page=2").status_code == 200  # the positive control
