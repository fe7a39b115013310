"""The catalogue API: signed-in users read types, conditions and time limits."""

import pytest

from chengguan.catalog.models import FilingCondition

pytestmark = pytest.mark.django_db


def test_it_requires_a_signed_in_user(client):
    response = client.get("/api/v1/catalog/matters")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_it_lists_active_matters_with_their_conditions(city, api_client):
    matters = api_client(city["supervisor"]).get("/api/v1/catalog/matters").json()
    assert len(matters) == 250
    garbage = next(m for m in matters if m["code"] == "06010")
    assert garbage["name"] == "暴露垃圾" and garbage["filing_conditions"][0]["code"] == "0601001"
    manhole = next(m for m in matters if m["code"] == "01001")
    assert manhole["component_type"] == "01001" and len(manhole["filing_conditions"]) == 2


def test_it_filters_matters_by_text_and_major_class(city, api_client):
    client = api_client(city["outsider"])
    assert [m["code"] for m in client.get("/api/v1/catalog/matters?q=占道经营").json()] == ["09006"]
    assert {m["major_code"] for m in client.get("/api/v1/catalog/matters?major=07").json()} == {"07"}


def test_it_hides_inactive_conditions(city, api_client):
    FilingCondition.objects.filter(code="0100101").update(is_active=False)
    matter = api_client(city["supervisor"]).get("/api/v1/catalog/matters/01001").json()
    assert [c["code"] for c in matter["filing_conditions"]] == ["0100102"]


def test_it_finds_a_matter_by_a_legacy_code(city, api_client):
    client = api_client(city["operator"])
    assert client.get("/api/v1/catalog/matters/SJ0102").json()["code"] == "06010"
    response = client.get("/api/v1/catalog/matters/0101")
    assert response.status_code == 422 and response.json()["field"] == "matter_code"


def test_it_previews_a_time_limit_and_its_deadline(city, api_client):
    client = api_client(city["dispatcher"])
    body = client.get(
        "/api/v1/catalog/time-limit",
        {"step": "handle", "severity": "urgent", "area_class": "A", "start": "2026-11-20T17:00:00+08:00"},
    ).json()
    assert body["amount"] == 2 and body["unit"] == "working_hours"
    assert body["deadline"].startswith("2026-11-23T09:00:00")
    local = client.get(
        "/api/v1/catalog/time-limit", {"step": "accept", "start": "2026-11-23T11:50:00"}
    ).json()  # no offset: the city's local time
    assert local["deadline"].startswith("2026-11-23T14:20:00")
    condition = FilingCondition.objects.get(code="0601001")
    body = client.get(
        "/api/v1/catalog/time-limit", {"step": "handle", "filing_condition_id": condition.pk}
    ).json()
    assert (body["amount"], body["unit"], body["deadline"]) == (3, "working_days", None)


def test_it_answers_bad_input_with_a_4xx_naming_the_field(city, api_client):
    client = api_client(city["dispatcher"])
    response = client.get("/api/v1/catalog/time-limit", {"step": "lunch"})
    assert response.status_code == 422 and response.json()["field"] == "step"
    response = client.get("/api/v1/catalog/time-limit", {"step": "handle", "filing_condition_id": 999999})
    assert response.status_code == 404
    # A year without an official arrangement is no longer refused (issue 12): the deadline is provisional.
    response = client.get(
        "/api/v1/catalog/time-limit",
        {"step": "handle", "start": "2026-12-31T17:00:00+08:00", "severity": "normal"},
    )
    assert response.status_code == 200 and response.json()["deadline_provisional"] is True
    response = client.get(
        "/api/v1/catalog/time-limit",
        {"step": "handle", "start": "2026-11-23T09:00:00+08:00", "severity": "normal"},
    )
    assert response.status_code == 200 and response.json()["deadline_provisional"] is False
