"""The portal's public address search (/p/addresses.json): the gazetteer only, no sign-in, rate-limited per IP."""

import pytest

from chengguan.geo.services import addresses_import
from chengguan.geo.testing import sample_csv

URL = "/p/addresses.json"


@pytest.fixture
def gazetteer(grids):
    addresses_import(actor=None, data=sample_csv(), filename="sample.csv", crs="gcj02")


def test_anyone_finds_an_address_without_signing_in(gazetteer, client, city):
    from chengguan.cases.testing import report
    from chengguan.catalog.models import MatterType

    report(city, MatterType.objects.get(code="06010"), point=(114.325, 34.8125), by="operator", source="hotline",
           address="夷山大街201号", reporter_name="王小明", reporter_phone="13800000000")
    response = client.get(URL, {"q": "夷山201"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    top = response.json()["results"][0]
    assert top["full"].startswith("顺河回族区夷山大街201号") and top["community"] == "清平社区"
    assert (top["lng"], top["lat"], top["crs"]) == (114.325, 34.8125, "gcj02")
    body = response.content.decode()
    assert "王小明" not in body and "13800000000" not in body and "KF2026" not in body  # no case, no reporter
    assert set(top) == {"full", "name", "lng", "lat", "crs", "community", "district", "inside", "is_demo"}
    assert client.get(URL, {"q": "第一人民医院"}).json()["results"][0]["name"] == "开封市第一人民医院"


def test_an_unknown_address_is_an_empty_list_and_a_long_query_is_refused(gazetteer, client):
    assert client.get(URL, {"q": "火星路1号"}).json() == {"query": "火星路1号", "count": 0, "results": []}
    assert client.get(URL).json()["count"] == 0
    long = client.get(URL, {"q": "路" * 61})
    assert long.status_code == 422 and long.json()["field"] == "q"


def test_it_is_rate_limited_per_address(gazetteer, client, settings):
    settings.PUBLIC_RATE_LIMITS = {"address_ip": (3, 600)}
    answers = [client.get(URL, {"q": "夷山201"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get(URL, {"q": "夷山201"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0 and refused.json()["code"] == "rate_limited"
    other = client.get(URL, {"q": "夷山201"}, REMOTE_ADDR="10.0.0.9")  # another caller is not held back
    assert other.status_code == 200


def test_the_report_page_offers_the_search(client, grids):
    page = client.get("/p/report/").content.decode()
    assert 'id="address-search"' in page and "/p/addresses.json" in page
