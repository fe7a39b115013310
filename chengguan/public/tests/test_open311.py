"""Open311 GeoReport v2: every JSON response validates against the official schemas, the XML carries the same
content, and a client POST shaped like FixMyStreet's registers a case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chengguan.cases.models import Case, Source
from chengguan.core.coords import gcj02_to_wgs84
from chengguan.public.models import Open311Submission
from chengguan.public.services.citizen import citizen_report
from chengguan.public.services.open311 import open311_key_create, open311_key_revoke, open311_place

from .conftest import POINT_A, POINT_B, close_case
from .open311_util import same_content, validate

BASE = "/open311/v2/"
WGS_A = gcj02_to_wgs84(*POINT_A)
WGS_B = gcj02_to_wgs84(*POINT_B)


def get_both(client, path, **params):
    """GET the JSON and the XML form of one call; the XML must say the same."""
    as_json = client.get(f"{BASE}{path}.json", params)
    as_xml = client.get(f"{BASE}{path}.xml", params)
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert as_json.status_code == as_xml.status_code
    data = as_json.json()
    assert same_content(data, as_xml.content), (data, as_xml.content.decode())
    return as_json.status_code, data


def fms_post(client, key, *, fmt="xml", **overrides):
    """What FixMyStreet's Open311 client sends: form-encoded, api_key and jurisdiction_id in the body."""
    body = {
        "jurisdiction_id": "",
        "api_key": key,
        "service_code": "06010",
        "lat": f"{WGS_A[1]:.6f}",
        "long": f"{WGS_A[0]:.6f}",
        "email": "zhang.san@example.com",
        "description": "title: 路边垃圾堆\n\ndetail: 西门大街路口有一堆垃圾，联系我 13912341234\n\nSubmitted via FixMyStreet",
        "first_name": "三",
        "last_name": "张",
        "phone": "13912341234",
        "media_url": "https://fms.example.com/photo/123.jpeg",
        "attribute[severity]": "pressing",
        "attribute[fixmystreet_id]": "123",
        "attribute[title]": "路边垃圾堆",
        "attribute[report_url]": "https://fms.example.com/report/123",
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(f"{BASE}requests.{fmt}", body)


@pytest.fixture
def report(city, grids, garbage, frozen):
    def _report(point=POINT_A, phone="13912341234", **extra):
        return citizen_report(
            matter=garbage,
            lng=point[0],
            lat=point[1],
            crs="gcj02",
            description=extra.pop("description", "路边有暴露垃圾"),
            phone=phone,
            address="西门大街 12 号",
            **extra,
        )

    return _report


# ---- discovery, services, definitions ------------------------------------------------------------------------


def test_it_describes_itself_in_discovery(client, db):
    status, data = get_both(client, "discovery")
    assert status == 200
    validate("discovery", data)
    endpoint = data["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_it_bumps_the_changeset_when_the_catalogue_changes(client, garbage, frozen):
    before = client.get(BASE + "discovery.json").json()["changeset"]
    frozen.shift(timedelta(days=1))
    garbage.name = "暴露垃圾（含建筑垃圾）"
    garbage.save()
    after = client.get(BASE + "discovery.json").json()["changeset"]
    assert after > before


def test_it_lists_matters_as_services_grouped_by_major_class(client, db):
    status, data = get_both(client, "services")
    assert status == 200
    validate("services", data)
    garbage = next(s for s in data if s["service_code"] == "06010")
    assert garbage["service_name"] == "暴露垃圾"
    assert garbage["group"] == "市容环境类"
    assert garbage["type"] == "realtime" and garbage["metadata"] is True
    codes = [s["service_code"] for s in data]
    assert codes == sorted(codes) and all(isinstance(c, str) for c in codes)


def test_it_leaves_inactive_matters_out(client, garbage):
    garbage.is_active = False
    garbage.save()
    codes = [s["service_code"] for s in client.get(BASE + "services.json").json()]
    assert "06010" not in codes
    assert client.get(BASE + "services/06010.json").status_code == 404


@pytest.mark.parametrize("code", ["06010", "01001"])
def test_it_defines_the_attributes_of_a_service(client, db, code):
    status, data = get_both(client, f"services/{code}")
    assert status == 200
    validate("service_definition", data)
    attributes = {a["code"]: a for a in data["attributes"]}
    assert attributes["severity"]["datatype"] == "singlevaluelist"
    assert {v["key"] for v in attributes["severity"]["values"]} == {"urgent", "pressing", "normal"}
    assert ("component_id" in attributes) is (code == "01001")  # only component matters ask for the asset
    orders = [a["order"] for a in data["attributes"]]
    assert orders == list(range(1, len(orders) + 1))


def test_it_answers_an_unknown_service_with_a_404_error_array(client, db):
    status, data = get_both(client, "services/99999")
    assert status == 404
    validate("errors", data)
    assert data[0]["code"] == "service_code_not_found"


def test_it_refuses_another_jurisdiction(client, db, settings):
    settings.OPEN311_JURISDICTION_ID = "kaifeng.gov.cn"
    assert client.get(BASE + "services.json", {"jurisdiction_id": "kaifeng.gov.cn"}).status_code == 200
    assert client.get(BASE + "services.json", {"jurisdiction_id": ""}).status_code == 200  # empty = absent
    status, data = get_both(client, "services", jurisdiction_id="sfgov.org")
    assert status == 404
    validate("errors", data)


def test_it_rejects_an_unknown_format_with_an_error(client, db):
    response = client.get(BASE + "services.csv")
    assert response.status_code == 400
    assert b"<errors>" in response.content


# ---- POST requests -------------------------------------------------------------------------------------------


def test_it_registers_a_fixmystreet_shaped_post_as_a_citizen_case(client, city, grids, frozen, open311_key):
    response = fms_post(client, open311_key, fmt="json")
    assert response.status_code == 200, response.content
    data = response.json()
    validate("post", data)
    assert set(data[0]) == {"service_request_id", "service_notice"}
    case = Case.objects.get(number=data[0]["service_request_id"])
    assert case.source == Source.CITIZEN and case.channel == "open311:fixmystreet"
    assert case.matter.code == "06010" and case.severity == "pressing"
    assert case.reporter_name == "张三" and case.reporter_phone == "13912341234"
    assert case.community == city.community_a1
    assert case.lng == pytest.approx(POINT_A[0], abs=1e-5) and case.lat == pytest.approx(POINT_A[1], abs=1e-5)
    submission = case.open311_submission
    assert submission.email == "zhang.san@example.com"
    assert submission.attributes["fixmystreet_id"] == "123"  # unknown attributes are kept, not refused
    # and it reads back: media_url as sent, no reporter details, the phone in the text masked
    _status, requests = get_both(client, f"requests/{case.number}")
    validate("requests", requests)
    assert requests[0]["media_url"] == "https://fms.example.com/photo/123.jpeg"
    assert "13912341234" not in str(requests) and "139****1234" in requests[0]["description"]
    assert "张" not in str(requests) and "zhang.san" not in str(requests)


def test_it_answers_a_post_in_xml_as_fixmystreet_reads_it(client, grids, frozen, open311_key):
    response = fms_post(client, open311_key)  # FixMyStreet posts to requests.xml
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    from .open311_util import from_xml

    parsed = from_xml(response.content)
    assert Case.objects.filter(number=parsed[0]["service_request_id"]).exists()


def test_it_takes_the_api_key_from_the_query_string_too(client, grids, frozen, open311_key):
    response = client.post(
        f"{BASE}requests.json?api_key={open311_key}",
        {"service_code": "06010", "lat": WGS_A[1], "long": WGS_A[0], "description": "垃圾"},
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("key", "status"),
    [(None, 403), ("", 403), ("o311_wrong", 403)],
)
def test_it_refuses_a_post_without_a_valid_api_key(client, grids, frozen, open311_key, key, status):
    response = fms_post(client, key, fmt="json")
    assert response.status_code == status
    validate("errors", response.json())
    assert Case.objects.count() == 0


def test_it_refuses_a_revoked_key(client, grids, frozen, open311_key):
    open311_key_revoke(prefix=open311_key[5:13])
    assert fms_post(client, open311_key, fmt="json").status_code == 403


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"service_code": ""}, 400, "service_code_missing"),
        ({"service_code": "99999"}, 404, "service_code_not_found"),
        ({"lat": None, "long": None}, 400, "location_missing"),
        ({"long": None}, 400, "invalid_location"),
        ({"lat": "north"}, 400, "invalid_location"),
        ({"lat": "95"}, 400, "invalid_location"),
        ({"attribute[severity]": "apocalyptic"}, 400, "attribute_invalid"),
        ({"attribute[observed_at]": "yesterday"}, 400, "invalid_datetime"),
        ({"email": "not-an-email"}, 400, "invalid_email"),
        ({"phone": "call me"}, 400, "invalid_phone"),
        ({"media_url": "javascript:alert(1)"}, 400, "invalid_media_url"),
        ({"description": "长" * 4001}, 400, "description_too_long"),
        ({"lat": f"{WGS_B[1] + 1:.6f}", "long": f"{WGS_B[0]:.6f}"}, 400, "outside_city"),
    ],
)
def test_it_answers_bad_posts_with_spec_errors_and_writes_nothing(
    client, grids, frozen, open311_key, overrides, status, code
):
    response = fms_post(client, open311_key, fmt="json", **overrides)
    assert response.status_code == status, response.content
    data = response.json()
    validate("errors", data)
    assert data[0]["code"] == code
    assert Case.objects.count() == 0 and Open311Submission.objects.count() == 0
    xml = fms_post(client, open311_key, fmt="xml", **overrides)
    assert xml.status_code == status and same_content(data, xml.content)


def test_it_keeps_an_address_only_post_until_an_operator_places_it(client, city, grids, frozen, open311_key):
    response = fms_post(client, open311_key, fmt="json", lat=None, long=None, address_string="西门大街 12 号")
    assert response.status_code == 200
    data = response.json()
    validate("post", data)
    token = data[0]["token"]
    assert "service_request_id" not in data[0]
    status, pending = get_both(client, f"tokens/{token}")
    assert status == 200 and pending == [{"token": token}]
    validate("token", pending)

    submission = Open311Submission.objects.get(token=token)
    open311_place(actor=city["operator"], submission=submission, lng=POINT_A[0], lat=POINT_A[1])
    _status, placed = get_both(client, f"tokens/{token}")
    validate("token", placed)
    case = Case.objects.get(number=placed[0]["service_request_id"])
    assert case.address == "西门大街 12 号" and case.reporter is None  # the operator is not the reporter


def test_it_answers_an_unknown_token_with_404(client, db):
    status, data = get_both(client, "tokens/nope")
    assert status == 404
    validate("errors", data)


def test_it_lets_only_operators_place_submissions(client, city, grids, frozen, open311_key):
    fms_post(client, open311_key, lat=None, long=None, address_string="西门大街")
    submission = Open311Submission.objects.get()
    from chengguan.core.errors import PermissionDenied

    for persona in ("supervisor", "dispatcher", "nobody"):
        with pytest.raises(PermissionDenied):
            open311_place(actor=city[persona], submission=submission, lng=POINT_A[0], lat=POINT_A[1])
    assert Case.objects.count() == 0


def test_it_rate_limits_posts_per_key(client, grids, frozen, open311_key, settings):
    settings.PUBLIC_RATE_LIMITS = {"open311_key": (2, 3600)}
    assert fms_post(client, open311_key, fmt="json").status_code == 200
    assert fms_post(client, open311_key, fmt="json").status_code == 200
    refused = fms_post(client, open311_key, fmt="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    validate("errors", refused.json())
    _other, other_key = open311_key_create(name="another client")
    assert fms_post(client, other_key, fmt="json").status_code == 200


def test_it_limits_key_guessing_per_address_but_not_a_busy_client(
    client, grids, frozen, open311_key, settings
):
    settings.PUBLIC_RATE_LIMITS = {"open311_ip": (2, 3600)}
    assert fms_post(client, "o311_guess1", fmt="json").status_code == 403
    assert fms_post(client, "o311_guess2", fmt="json").status_code == 403
    assert fms_post(client, "o311_guess3", fmt="json").status_code == 429
    for _ in range(3):  # the same address with a valid key is a FixMyStreet server: not limited per address
        assert fms_post(client, open311_key, fmt="json").status_code == 200


# ---- GET requests ------------------------------------------------------------------------------------------------


def test_it_shows_a_request_open_then_closed_with_the_after_photo(client, city, report):
    case = report()
    status, data = get_both(client, f"requests/{case.number}")
    assert status == 200
    validate("requests", data)
    assert len(data) == 1
    item = data[0]
    assert item["status"] == "open" and item["service_code"] == "06010"
    assert item["lat"] == pytest.approx(WGS_A[1], abs=1e-6) and item["long"] == pytest.approx(
        WGS_A[0], abs=1e-6
    )
    assert item["media_url"] is None

    close_case(city, case)
    _status, data = get_both(client, f"requests/{case.number}", extensions="true")
    validate("requests", data)
    item = data[0]
    assert item["status"] == "closed"
    assert item["updated_datetime"] == timezone.localtime(Case.objects.get(pk=case.pk).closed_at).isoformat()
    assert item["media_url"].startswith("http://testserver/p/photos/")
    assert client.get(item["media_url"]).status_code == 200  # the photo is public, served by the portal
    assert item["extended_attributes"]["detailed_status"] == "closed"
    assert [n["summary"] for n in item["notes"]] == [
        "report", "accept", "file", "dispatch", "reply", "check_pass", "close",
    ]  # fmt: skip
    assert item["notes"][0]["type"] == "opened" and item["notes"][-1]["type"] == "closed"
    assert "department_handler" not in str(data) and "已清理" not in str(data)  # no staff names, no notes


def test_it_answers_an_unknown_request_with_404(client, db):
    status, data = get_both(client, "requests/KF2026-999999")
    assert status == 404
    validate("errors", data)


def test_it_filters_requests_as_the_spec_says(client, city, report, frozen):
    old = report(description="九十多天前")
    frozen.shift(timedelta(days=100))
    open_case = report(description="新的")
    closed_case = close_case(city, report(description="已结案", phone="13800000001"))
    other = report(point=POINT_B, description="顺河的")

    def numbers(**params):
        status, data = get_both(client, "requests", **params)
        assert status == 200, data
        if data:
            validate("requests", data)
        return {d["service_request_id"] for d in data}

    recent = {open_case.number, closed_case.number, other.number}
    assert numbers() == recent  # default: the last 90 days
    assert numbers(status="closed") == {closed_case.number}
    assert numbers(status="open,closed") == recent
    assert numbers(service_code="01001") == set()
    assert numbers(service_code="01001,06010") == recent
    start = timezone.localtime(old.reported_at - timedelta(days=1)).isoformat()
    end = timezone.localtime(old.reported_at + timedelta(days=1)).isoformat()
    assert numbers(start_date=start, end_date=end) == {old.number}
    assert numbers(start_date=start) == {old.number}  # start alone: 90 days from it
    # service_request_id overrides every other argument
    assert numbers(service_request_id=f"{old.number},{other.number}", status="closed") == {
        old.number,
        other.number,
    }
    assert (
        numbers(updated_after=timezone.localtime(timezone.now() - timedelta(minutes=1)).isoformat()) == recent
    )


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
        {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-02-01T00:00:00+08:00"},
        {"start_date": "last week"},
        {"page": "0"},
        {"page_size": "100000"},
    ],
)
def test_it_refuses_bad_filters_with_400(client, db, params):
    status, data = get_both(client, "requests", **params)
    assert status == 400
    validate("errors", data)


def test_it_pages_requests_newest_first(client, report, frozen):
    cases = []
    for i in range(5):
        cases.append(report(phone=f"1380000000{i}"))
        frozen.shift(timedelta(minutes=1))
    newest_first = [c.number for c in reversed(cases)]
    pages = [
        [
            d["service_request_id"]
            for d in client.get(BASE + "requests.json", {"page": p, "page_size": 2}).json()
        ]
        for p in (1, 2, 3, 4)
    ]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:5], []]


def test_it_lists_requests_with_a_fixed_number_of_queries(
    client, city, report, django_assert_max_num_queries
):
    for i in range(3):
        close_case(city, report(phone=f"1380000000{i}"))
    with django_assert_max_num_queries(6):
        response = client.get(BASE + "requests.json", {"extensions": "true"})
    assert len(response.json()) == 3


def test_it_lists_public_updates_as_fixmystreet_fetches_them(client, city, report, frozen):
    case = close_case(city, report())
    start = timezone.localtime(timezone.now() - timedelta(hours=1)).isoformat()
    status, data = get_both(client, "servicerequestupdates", start_date=start)
    assert status == 200
    assert [u["external_status_code"] for u in data] == [
        "reported", "accepted", "filed", "dispatched", "checking", "check_passed", "closed",
    ]  # fmt: skip
    assert {u["service_request_id"] for u in data} == {case.number}
    assert data[-1]["status"] == "closed" and data[0]["status"] == "open"
    assert data[4]["media_url"].startswith("http://testserver/p/photos/")  # the reply's after-photo
    assert "已清理" not in str(data) and "department_handler" not in str(data)
    too_long = get_both(client, "servicerequestupdates", start_date="2025-11-01T00:00:00+08:00")
    assert too_long[0] == 400
    validate("errors", too_long[1])
