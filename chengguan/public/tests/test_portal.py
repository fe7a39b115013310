"""The citizen portal: report with a map point and photos, get a number, follow by number + phone, rate the
closed case, earn points; duplicate suggestions, the public map and photo access rules."""

import re

import pytest

from chengguan.cases.models import Attachment, Case, Source
from chengguan.cases.services import case_act
from chengguan.core.coords import gcj02_to_wgs84
from chengguan.public.models import PointsEntry, RateCounter, Satisfaction
from chengguan.public.services.citizen import citizen_report

from .conftest import POINT_A, POINT_B, Upload, close_case, png_bytes

PHONE = "13912341234"


@pytest.fixture
def ready(city, grids, garbage, frozen):
    return city


def form(**overrides):
    data = {
        "matter": "06010",
        "lng": str(POINT_A[0]),
        "lat": str(POINT_A[1]),
        "crs": "gcj02",
        "description": "小区门口垃圾堆了三天",
        "address": "西门大街 12 号",
        "name": "王五",
        "phone": PHONE,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, photos=(), **overrides):
    data = form(**overrides)
    if photos:
        data["photos"] = list(photos)
    return client.post("/p/report/", data)


def number_in(response) -> str:
    return re.search(r"/p/cases/([^/]+)/", response["Location"]).group(1)


def test_it_shows_the_report_form_with_every_matter_grouped(client, ready):
    response = client.get("/p/report/")
    assert response.status_code == 200
    html = response.content.decode()
    # about 15 groups in plain words, not the catalogue's administrative major classes
    assert '<optgroup label="Garbage and dirty streets"' in html and '<option value="06010">暴露垃圾</option>' in html
    assert 10 <= html.count("<optgroup") <= 16 and "市容环境类" not in html
    assert 'id="report-map"' in html and "<script>" not in html  # no inline scripts (CSP)


def test_it_registers_a_report_with_a_photo_and_gives_a_number(
    client, ready, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, photos=[Upload(png_bytes(), "IMG_0001.png")])
    assert response.status_code == 302, response.content.decode()[:2000]
    number = number_in(response)
    case = Case.objects.get(number=number)
    assert case.source == Source.CITIZEN and case.channel == "web" and case.reporter is None
    assert (
        case.reporter_phone == PHONE and case.reporter_name == "王五" and case.community == ready.community_a1
    )
    assert list(case.attachments.values_list("kind", flat=True)) == ["before"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert (
        page.status_code == 200
        and number in html
        and "awaiting acceptance" in html.lower()
        or "待受理" in html
    )


def test_it_takes_the_devices_wgs84_location(client, ready):
    lng, lat = gcj02_to_wgs84(*POINT_A)
    response = submit(client, lng=str(lng), lat=str(lat), crs="wgs84")
    case = Case.objects.get(number=number_in(response))
    assert case.lng == pytest.approx(POINT_A[0], abs=1e-6) and case.lat == pytest.approx(POINT_A[1], abs=1e-6)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lng": None, "lat": None}, "Put a pin on the map"),
        ({"lng": "120.0", "lat": "30.0"}, "outside every unit grid"),
        ({"matter": "99999"}, "Choose the type of problem"),
        ({"phone": ""}, "This field is required"),
        ({"phone": "not a phone"}, "phone number"),
        ({"description": ""}, "This field is required"),
    ],
)
def test_it_explains_bad_reports_and_stores_nothing(client, ready, overrides, message):
    response = submit(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        Upload(b"MZ\x90\x00 not an image at all", "photo.png"),
        Upload(png_bytes(fmt="GIF"), "animation.gif"),
    ],
)
def test_it_refuses_photos_that_are_not_jpeg_png_or_webp(client, ready, upload):
    response = submit(client, photos=[upload])
    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.content.decode() or "not accepted" in response.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_refuses_too_large_and_too_many_photos(client, ready, settings):
    settings.CASES_PHOTO_MAX_BYTES = 100
    assert submit(client, photos=[Upload(png_bytes(size=(64, 64)))]).status_code == 400
    settings.CASES_PHOTO_MAX_BYTES = 10 * 1024 * 1024
    settings.PUBLIC_MAX_PHOTOS = 2
    assert submit(client, photos=[Upload(png_bytes()) for _ in range(3)]).status_code == 400
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_rate_limits_reports_per_phone(client, ready, settings):
    settings.PUBLIC_RATE_LIMITS = {"report_phone": (2, 3600), "report_ip": (100, 3600)}
    assert submit(client).status_code == 302
    assert submit(client).status_code == 302
    refused = submit(client)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert submit(client, phone="13800000000").status_code == 302  # another phone still may
    assert Case.objects.count() == 3


def test_it_rate_limits_reports_per_ip_across_phones(client, ready, settings, frozen):
    from datetime import timedelta

    settings.PUBLIC_RATE_LIMITS = {"report_ip": (2, 3600)}
    assert submit(client, phone="13800000001").status_code == 302
    assert submit(client, phone="13800000002").status_code == 302
    assert submit(client, phone="13800000003").status_code == 429
    assert client.post("/p/report/", form(phone="13800000004"), REMOTE_ADDR="10.1.2.3").status_code == 302
    frozen.shift(timedelta(hours=1))  # the next window
    assert submit(client, phone="13800000005").status_code == 302


def test_it_keeps_no_phone_or_ip_in_the_counters(client, ready):
    submit(client)
    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert PHONE not in keys and "127.0.0.1" not in keys
    assert RateCounter.objects.filter(scope="report_phone", count=1).exists()


def test_it_suggests_open_reports_of_the_same_problem_nearby(client, ready, garbage):
    existing = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="垃圾", phone="13800000009"
    )
    near = {"matter": "06010", "lng": POINT_A[0] + 0.0002, "lat": POINT_A[1], "crs": "gcj02"}
    html = client.get("/p/report/nearby/", near).content.decode()
    assert existing.number in html
    assert (
        existing.number not in client.get("/p/report/nearby/", {**near, "matter": "06011"}).content.decode()
    )
    far = {**near, "lng": POINT_A[0] + 0.01}
    assert existing.number not in client.get("/p/report/nearby/", far).content.decode()
    assert "13800000009" not in html
    assert client.get("/p/report/nearby/", {"matter": "06010", "lng": "x"}).status_code == 200


def test_it_names_the_place_of_a_point_or_says_it_is_outside(client, ready):
    inside = client.get("/p/locate/", {"lng": POINT_A[0], "lat": POINT_A[1], "crs": "gcj02"}).json()
    assert inside["ok"] and inside["community"] == "西门社区" and inside["district"] == "龙亭区"
    lng, lat = gcj02_to_wgs84(*POINT_A)
    converted = client.get("/p/locate/", {"lng": lng, "lat": lat, "crs": "wgs84"}).json()
    assert converted["lng"] == pytest.approx(POINT_A[0], abs=1e-6)
    outside = client.get("/p/locate/", {"lng": 120, "lat": 30})
    assert outside.status_code == 400 and not outside.json()["ok"]
    assert client.get("/p/locate/", {"lng": "east"}).status_code == 400


# ---- following a case -----------------------------------------------------------------------------------------


def test_it_shows_a_case_only_after_number_and_phone_match(client, ready, garbage):
    case = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone=PHONE
    )
    first_look = client.get(f"/p/cases/{case.number}/")
    assert first_look.status_code == 302 and first_look["Location"] == f"/p/follow/?number={case.number}"
    assert f'value="{case.number}"' in client.get(first_look["Location"]).content.decode()  # prefilled
    wrong = client.post("/p/follow/", {"number": case.number, "phone": "13800000000"})
    unknown = client.post("/p/follow/", {"number": "KF2026-999999", "phone": PHONE})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.content.decode().count("No case with this number") == 1
    assert unknown.content.decode().count("No case with this number") == 1  # same answer: no oracle
    assert client.get(f"/p/cases/{case.number}/").status_code == 302
    right = client.post("/p/follow/", {"number": case.number.lower(), "phone": "139 1234 1234"})
    assert right.status_code == 302 and right["Location"] == f"/p/cases/{case.number}/"
    assert client.get(f"/p/cases/{case.number}/").status_code == 200


def test_it_rate_limits_follow_attempts(client, ready, settings):
    settings.PUBLIC_RATE_LIMITS = {"follow_ip": (3, 600)}
    for _ in range(3):
        assert client.post("/p/follow/", {"number": "KF2026-000001", "phone": PHONE}).status_code == 400
    assert client.post("/p/follow/", {"number": "KF2026-000001", "phone": PHONE}).status_code == 429


def test_it_shows_the_public_timeline_and_after_photo_then_takes_one_rating(
    client, ready, garbage, django_capture_on_commit_callbacks
):
    response = submit(client, photos=[Upload(png_bytes())])
    case = Case.objects.get(number=number_in(response))
    with django_capture_on_commit_callbacks(execute=True):
        close_case(ready, case)
    html = client.get(f"/p/cases/{case.number}/").content.decode()
    after = Attachment.objects.get(case=case, kind="after")
    assert f"/p/photos/{after.pk}/" in html
    assert "dispatched to 环卫处" in html or "已派遣至环卫处" in html
    # the department's reply is its public answer (处置结果), shown with the after-photo
    assert "已清理" in html.split('id="public-reply"')[1].split("</p>")[0]
    for secret in ("shift_leader", "department_handler", "supervisor"):
        assert secret not in html  # no internal notes or staff names
    assert 'id="rating-form"' in html

    rate = client.post(f"/p/cases/{case.number}/rate/", {"score": "satisfied", "comment": "很快"})
    assert rate.status_code == 302
    assert Satisfaction.objects.get(case=case).channel == "web"
    again = client.post(f"/p/cases/{case.number}/rate/", {"score": "unsatisfied"})
    assert again.status_code == 302 and Satisfaction.objects.get(case=case).score == "satisfied"
    assert 'id="rating-form"' not in client.get(f"/p/cases/{case.number}/").content.decode()


def test_it_refuses_to_rate_an_open_case_or_anothers_case(client, ready, garbage):
    mine = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone=PHONE
    )
    client.post("/p/follow/", {"number": mine.number, "phone": PHONE})
    client.post(f"/p/cases/{mine.number}/rate/", {"score": "satisfied"})
    assert not Satisfaction.objects.exists()
    other = close_case(ready, citizen_report(matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02",
                                             description="y", phone="13800000000"))  # fmt: skip
    assert client.post(f"/p/cases/{other.number}/rate/", {"score": "unsatisfied"}).status_code == 404
    assert not Satisfaction.objects.exists()


def test_it_awards_points_once_when_a_report_is_filed(client, ready, django_capture_on_commit_callbacks):
    response = submit(client)
    case = Case.objects.get(number=number_in(response))
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(actor=ready["operator"], case=case, action="accept")
    assert not PointsEntry.objects.exists()  # accepted is not yet a valid report
    with django_capture_on_commit_callbacks(execute=True):
        close_case_from_accepted(ready, case)
    entry = PointsEntry.objects.get()
    assert (entry.phone, entry.points, entry.reason) == (PHONE, 10, "file")
    assert '<dd id="points">10</dd>' in client.get(f"/p/cases/{case.number}/").content.decode()


def close_case_from_accepted(city, case):
    from chengguan.catalog.models import FilingCondition

    condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
    return case_act(actor=city["shift_leader"], case=case, action="file",
                    filing_condition_id=condition.pk if condition else None)  # fmt: skip


def test_it_gives_no_points_for_a_rejected_report_or_when_switched_off(
    client, ready, settings, django_capture_on_commit_callbacks
):
    case = Case.objects.get(number=number_in(submit(client)))
    with django_capture_on_commit_callbacks(execute=True):
        case_act(actor=ready["operator"], case=case, action="reject", reason="不属于城管范围")
    assert not PointsEntry.objects.exists()
    settings.PUBLIC_POINTS = {}
    case = Case.objects.get(number=number_in(submit(client, phone="13800000000")))
    with django_capture_on_commit_callbacks(execute=True):
        case = case_act(actor=ready["operator"], case=case, action="accept")
        close_case_from_accepted(ready, case)
    assert not PointsEntry.objects.exists()
    assert 'id="points"' not in client.get(f"/p/cases/{case.number}/").content.decode()


# ---- photos and the public map ---------------------------------------------------------------------------------


def test_it_serves_after_photos_to_everyone_and_before_photos_only_to_the_reporter(client, ready):
    from django.test import Client

    response = submit(client, photos=[Upload(png_bytes())])
    case = close_case(ready, Case.objects.get(number=number_in(response)))
    before = Attachment.objects.get(case=case, kind="before")
    after = Attachment.objects.get(case=case, kind="after")
    stranger = Client()
    assert stranger.get(f"/p/photos/{after.pk}/").status_code == 200
    assert stranger.get(f"/p/photos/{before.pk}/").status_code == 404
    photo = client.get(f"/p/photos/{before.pk}/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert stranger.get("/p/photos/999999/").status_code == 404


def test_it_maps_reported_and_fixed_problems_without_reporters(client, ready, garbage):
    open_case = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone=PHONE, name="王五"
    )
    fixed = close_case(ready, citizen_report(matter=garbage, lng=POINT_B[0], lat=POINT_B[1], crs="gcj02",
                                             description="y", phone="13800000000"))  # fmt: skip
    rejected = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="z", phone=PHONE
    )
    case_act(actor=ready["operator"], case=rejected, action="reject", reason="重复")
    data = client.get("/p/map.json").json()
    by_number = {f["properties"]["number"]: f["properties"] for f in data["features"]}
    assert set(by_number) == {open_case.number, fixed.number}
    assert by_number[fixed.number]["status"] == "closed" and by_number[fixed.number]["photo"].startswith(
        "/p/photos/"
    )
    text = str(data)
    assert PHONE not in text and "王五" not in text and "13800000000" not in text
    assert {
        f["properties"]["number"] for f in client.get("/p/map.json", {"status": "open"}).json()["features"]
    } == {open_case.number}
    assert client.get("/p/map/").status_code == 200
    regions = client.get("/p/regions.json").json()
    assert {f["properties"]["name"] for f in regions["features"]} >= {"龙亭区", "顺河回族区"}
