"""Open311 paging without silent loss (issue 18): request lists and updates page and say when more remain
(`Link: <...>; rel="next"`), an over-long id list is refused, an address-only token resolves or errors within
OPEN311_TOKEN_HOURS."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from chengguan.cases.models import CaseEvent
from chengguan.core.errors import Conflict
from chengguan.public import conf, presenters
from chengguan.public.models import Open311Submission
from chengguan.public.services.citizen import citizen_report
from chengguan.public.services.open311 import open311_place

from .conftest import POINT_A, close_case
from .open311_util import validate

BASE = "/open311/v2/"


@pytest.fixture
def report(city, grids, garbage, frozen):
    def _report(i):
        return citizen_report(
            matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="路边有暴露垃圾",
            phone=f"1380000{i:04d}", address="西门大街 12 号",
        )  # fmt: skip

    return _report


def _next(response) -> str | None:
    match = re.fullmatch(r'<([^>]+)>; rel="next"', response.get("Link", ""))
    return match.group(1) if match else None


def _follow(client, response) -> tuple[list, list]:
    """Every item of this page and the pages after it, and each page's length; each followed page is also
    fetched as XML (same Link)."""
    items, sizes = [], []
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        items += page
        sizes.append(len(page))
        path = response.wsgi_request.get_full_path()
        following = _next(response)
        if "end_date" in path:  # a followed link: its window is pinned, so the XML names the same next page
            xml = client.get(path.replace(".json", ".xml", 1))
            assert _next(xml) == (following.replace(".json", ".xml", 1) if following else None)
        if not following:
            return items, sizes
        response = client.get(following)


def test_the_default_page_is_100_and_the_largest_1000(settings):
    for name in ("OPEN311_PAGE_SIZE", "OPEN311_PAGE_SIZE_MAX"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert (conf.open311_page_size(), conf.open311_page_size_max()) == (100, 1000)


def test_requests_page_with_a_next_link_until_none_remain(client, report, frozen, settings):
    settings.OPEN311_PAGE_SIZE, settings.OPEN311_PAGE_SIZE_MAX = 2, 3
    numbers = []
    for i in range(5):
        numbers.append(report(i).number)
        frozen.shift(timedelta(minutes=1))
    first = client.get(BASE + "requests.json")
    assert len(first.json()) == 2 and _next(first)  # positive control: a page that is not the last says so
    assert "Link" in first["Access-Control-Expose-Headers"]
    frozen.shift(timedelta(seconds=1))
    report(99)  # arrives while the client pages: the pinned window keeps later pages as they were
    items, sizes = _follow(client, first)
    assert sizes == [2, 2, 1]
    assert [d["service_request_id"] for d in items] == numbers[::-1]  # newest first, none lost or repeated
    validate("requests", items)
    assert client.get(BASE + "requests.json", {"page_size": 3}).json().__len__() == 3
    too_big = client.get(BASE + "requests.json", {"page_size": 4})
    assert too_big.status_code == 400 and "page_size" in too_big.json()[0]["description"]
    validate("errors", too_big.json())


def test_a_service_request_id_list_over_the_limit_is_refused_not_cut(client, report, settings):
    settings.OPEN311_PAGE_SIZE, settings.OPEN311_PAGE_SIZE_MAX = 2, 3
    numbers = [report(i).number for i in range(4)]
    whole = client.get(BASE + "requests.json", {"service_request_id": ",".join(numbers[:3])})
    assert len(whole.json()) == 3 and not _next(whole)  # a list within the limit fits one answer
    for fmt in ("json", "xml"):
        refused = client.get(f"{BASE}requests.{fmt}", {"service_request_id": ",".join(numbers)})
        assert refused.status_code == 400
        text = refused.content.decode()
        assert "too_many_ids" in text and "service_request_id" in text and "at most 3" in text
    validate("errors", client.get(BASE + "requests.json", {"service_request_id": ",".join(numbers)}).json())


def test_updates_page_so_that_no_update_of_a_window_is_lost(client, city, report, frozen, settings):
    for i in range(2):
        close_case(city, report(i))
        frozen.shift(timedelta(minutes=5))
    public = CaseEvent.objects.filter(action__in=list(presenters.PUBLIC_ACTIONS)).order_by("at", "pk")
    expected = [str(pk) for pk in public.values_list("pk", flat=True)]
    assert len(expected) == 14
    settings.OPEN311_UPDATES_PAGE_SIZE = 5
    start = timezone.now() - timedelta(hours=2)
    first = client.get(BASE + "servicerequestupdates.json", {"start_date": start.isoformat()})
    assert len(first.json()) == 5 and _next(first)  # positive control: more remain, and it says so
    frozen.shift(timedelta(minutes=1))
    close_case(city, report(7))  # new updates while paging fall after the pinned end_date
    items, sizes = _follow(client, first)
    assert sizes == [5, 5, 4]
    assert [u["update_id"] for u in items] == expected  # oldest first, every one, once
    too_big = client.get(BASE + "servicerequestupdates.json", {"page_size": 6})
    assert too_big.status_code == 400 and "page_size" in too_big.json()[0]["description"]
    refused = client.post(BASE + "servicerequestupdates.xml")
    assert refused.status_code == 405 and b"method_not_allowed" in refused.content
    assert refused["Content-Type"].startswith("text/xml") and refused["Allow"] == "GET"


def _address_only(client, key) -> str:
    response = client.post(
        BASE + "requests.json",
        {"api_key": key, "service_code": "06010", "address_string": "西门大街 12 号", "description": "垃圾"},
    )
    assert response.status_code == 200
    return response.json()[0]["token"]


def test_an_unplaced_token_expires_after_the_documented_hours(client, city, grids, frozen, open311_key):
    token = _address_only(client, open311_key)
    pending = client.get(f"{BASE}tokens/{token}.json")
    assert pending.json() == [{"token": token}] and pending["Cache-Control"] == "no-cache"
    deadline = datetime.fromisoformat(pending["X-Token-Expires"])  # when the answer will be definitive
    assert deadline == timezone.now() + timedelta(hours=72)
    frozen.shift(timedelta(hours=conf.open311_token_hours()) - timedelta(minutes=1))
    assert client.get(f"{BASE}tokens/{token}.json").json() == [{"token": token}]
    frozen.shift(timedelta(minutes=2))
    for fmt in ("json", "xml"):
        expired = client.get(f"{BASE}tokens/{token}.{fmt}")
        assert expired.status_code == 404 and b"token_expired" in expired.content
    validate("errors", client.get(f"{BASE}tokens/{token}.json").json())
    submission = Open311Submission.objects.get(token=token)
    with pytest.raises(Conflict) as refused:  # nobody can place it any more: the answer stays definitive
        open311_place(actor=city["operator"], submission=submission, lng=POINT_A[0], lat=POINT_A[1])
    assert refused.value.code == "expired"
    assert client.get(f"{BASE}tokens/{token}.json").status_code == 404


def test_the_staff_list_shows_only_submissions_that_may_still_be_placed(client, city, grids, frozen, open311_key,
                                                                         login):  # fmt: skip
    old = Open311Submission.objects.get(token=_address_only(client, open311_key))
    frozen.shift(timedelta(hours=conf.open311_token_hours() + 1))
    fresh = Open311Submission.objects.get(token=_address_only(client, open311_key))
    html = login(city["operator"]).get("/p/staff/open311/").content.decode()
    assert f"/p/staff/open311/{fresh.pk}/place/" in html  # positive control
    assert f"/p/staff/open311/{old.pk}/place/" not in html
    placed = open311_place(actor=city["operator"], submission=fresh, lng=POINT_A[0], lat=POINT_A[1])
    answer = client.get(f"{BASE}tokens/{fresh.token}.json").json()
    assert answer == [{"service_request_id": placed.case.number, "token": fresh.token}]


@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("post", "servicerequestupdates", "GET"),
        ("post", "discovery", "GET"),
        ("post", "services", "GET"),
        ("post", "services/06010", "GET"),
        ("post", "requests/KF2026-000001", "GET"),
        ("post", "tokens/abc", "GET"),
        ("put", "requests", "GET, POST"),
        ("delete", "requests", "GET, POST"),
    ],
)
def test_a_method_a_call_does_not_take_answers_405_in_the_error_format(client, db, method, path, allow):
    for fmt, content_type in (("json", "application/json"), ("xml", "text/xml")):
        refused = getattr(client, method)(f"{BASE}{path}.{fmt}")
        assert refused.status_code == 405 and refused["Allow"] == allow
        assert refused["Content-Type"].startswith(content_type)
        if fmt == "json":
            validate("errors", refused.json())
            assert refused.json()[0]["code"] == "method_not_allowed"
            assert method.upper() in refused.json()[0]["description"]
        else:
            assert b"<errors><error><code>method_not_allowed</code>" in refused.content
    allowed = client.get(f"{BASE}{path}.json")  # positive control: the call itself answers a GET
    assert allowed.status_code != 405
