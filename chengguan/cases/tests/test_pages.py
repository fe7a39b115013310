"""The pages per role: queues, detail with actions, lists with filters and Excel export, the phone page."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from chengguan.core.coords import from_storage

from ..models import Case
from ..workflow import State
from .conftest import POINT_A, POINT_B, Upload, png_bytes

QUEUES = [
    ("/cases/queue/accept/", "operator"),
    ("/cases/queue/filing/", "shift_leader"),
    ("/cases/queue/dispatch/", "dispatcher"),
    ("/cases/queue/department/", "department_handler"),
    ("/m/", "supervisor"),
    ("/cases/new/", "operator"),
]


@pytest.mark.parametrize("url,persona", QUEUES)
def test_it_serves_each_queue_to_its_role_and_refuses_others(walk, login, url, persona):
    walk.to(State.FILED)
    client = login(walk.city[persona])
    assert client.get(url).status_code == 200
    for other in ("outsider" if persona != "supervisor" else "operator", "nobody", "assistant"):
        assert login(walk.city[other]).get(url).status_code == 403


def test_it_shows_the_operator_queue_in_chinese_with_the_case(walk, login):
    case = walk.new()
    page = login(walk.city["operator"]).get("/cases/queue/accept/").content.decode()
    assert case.number in page and "受理" in page


def test_it_hides_a_case_page_from_outsiders(walk, login):
    case = walk.new()
    assert login(walk.city["supervisor"]).get(f"/cases/{case.pk}/").status_code == 200
    for persona in ("outsider", "nobody", "department_handler"):
        assert login(walk.city[persona]).get(f"/cases/{case.pk}/").status_code == 404
        response = login(walk.city[persona]).post(f"/cases/{case.pk}/act/accept/", {})
        assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == State.REPORTED


def test_it_walks_a_case_from_the_phone_to_closure_through_the_pages(walk, login):
    city = walk.city
    phone = login(city["supervisor"])
    lng, lat = from_storage(*POINT_A, "wgs84")  # the browser reports WGS84
    response = phone.post(
        "/m/report/",
        {"matter_code": "06010", "description": "路口暴露垃圾", "address": "西门大街", "lng": lng, "lat": lat,
         "crs": "wgs84", "photos": [Upload(png_bytes(fmt="JPEG"), "a.jpg")]},
    )  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/m/case/{case.pk}/"
    assert case.attachments.get().kind == "before"

    def act(persona, action, **data):
        response = login(city[persona]).post(f"/cases/{case.pk}/act/{action}/", data)
        assert response.status_code == 302
        case.refresh_from_db()
        return case

    act("operator", "accept")
    act("shift_leader", "file", **walk._file())
    act("dispatcher", "dispatch", department_id=city.sanitation.pk)
    act("department_handler", "reply", reason="已清运", photos=[Upload(png_bytes(), "after.png")])
    page = login(city["supervisor"]).get("/m/").content.decode()
    assert case.number in page  # the check task is on the phone
    response = login(city["supervisor"]).post(
        f"/cases/{case.pk}/act/check_pass/",
        {"next": f"/m/case/{case.pk}/", "photos": [Upload(png_bytes(), "c.png")]},
    )
    assert response.url == f"/m/case/{case.pk}/"
    assert act("shift_leader", "close").state == State.CLOSED
    assert case.attachments.filter(kind="after").count() == 2


def test_it_explains_a_refused_action_on_the_page(walk, login):
    case = walk.new()
    client = login(walk.city["operator"])
    response = client.post(f"/cases/{case.pk}/act/reject/", {"reason": ""}, follow=True)
    assert "reason" in response.content.decode().lower() or "理由" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.REPORTED


def test_it_offers_only_the_allowed_actions_on_the_detail_page(walk, login):
    case = walk.to(State.DISPATCHED)
    page = login(walk.city["department_handler"]).get(f"/cases/{case.pk}/").content.decode()
    for action in ("return", "request_extension", "request_hang_up", "reply"):
        assert f'data-action="{action}"' in page
    assert 'data-action="dispatch"' not in page and 'data-action="close"' not in page


def test_it_filters_the_list_and_pins_its_queries(walk, login, django_assert_max_num_queries):
    for _ in range(5):
        walk.new()
    walk.to(State.ACCEPTED)
    walk.new(point=POINT_B, by="outsider")
    client = login(walk.city["operator"])
    with django_assert_max_num_queries(12):
        page = client.get("/cases/", {"state": "accepted"}).content.decode()
    assert page.count("/cases/") and "KF2026-000006" in page and "KF2026-000001" not in page
    partial = client.get("/cases/", {"district_id": walk.city.district_b.pk}, HTTP_HX_REQUEST="true")
    assert partial.content.decode().count('class="light') == 1
    assert "<html" not in partial.content.decode()


def test_it_exports_the_filtered_list_to_excel_with_masked_phones(walk, login):
    walk.new(by=None, source="citizen", reporter_phone="13912341234")
    walk.new()
    response = login(walk.city["supervisor"]).get("/cases/export.xlsx", {"source": "citizen"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.getvalue())).active.values)[4:]  # below the title block
    assert len(rows) == 2 and rows[1][0] == "KF2026-000001" and rows[1][-1] == "139****1234"
    response = login(walk.city["operator"]).get("/cases/export.xlsx")
    rows = list(load_workbook(BytesIO(response.getvalue())).active.values)[4:]
    assert len(rows) == 3 and "139****1234" in [r[-1] for r in rows]  # masked for calling-back roles too
    assert all("13912341234" not in str(v) for r in rows for v in r)


def test_it_searches_matters_for_the_phone(walk, login):
    page = login(walk.city["supervisor"]).get("/m/matters/", {"q": "垃圾"}).content.decode()
    assert 'value="06010"' in page


def test_it_lists_my_notifications_and_marks_them_read(walk, login):
    walk.to(State.DISPATCHED)
    client = login(walk.city["department_handler"])
    page = client.get("/cases/notifications/").content.decode()
    assert "请按时处置" in page
    client.post("/cases/notifications/")
    assert not walk.city["department_handler"].notifications.filter(read_at__isnull=True).exists()


def test_it_registers_a_hotline_call_from_the_desk(walk, login):
    response = login(walk.city["operator"]).post(
        "/cases/new/",
        {"source": "hotline", "channel": "12345", "matter_code": "06010", "description": "来电反映垃圾",
         "lng": POINT_A[0], "lat": POINT_A[1], "crs": "gcj02", "reporter_name": "李四", "reporter_phone": "13800001111"},
    )  # fmt: skip
    case = Case.objects.get()
    assert response.status_code == 302 and (case.source, case.channel) == ("hotline", "12345")


def test_it_shows_the_dispatcher_map_suggestion_and_workload(walk, login):
    walk.to(State.FILED)
    walk.to(State.DISPATCHED)
    page = login(walk.city["dispatcher"]).get("/cases/queue/dispatch/").content.decode()
    assert 'id="dispatch-map-data"' in page and "环卫处" in page


@pytest.mark.parametrize(
    "url,persona,state",
    [
        ("/cases/queue/accept/", "operator", State.REPORTED),
        ("/cases/queue/filing/", "shift_leader", State.ACCEPTED),
        ("/cases/queue/dispatch/", "dispatcher", State.FILED),
        ("/cases/queue/department/", "department_handler", State.DISPATCHED),
        ("/m/", "supervisor", State.CHECKING),
    ],
)
def test_it_keeps_queue_queries_flat_as_the_queue_grows(
    walk, login, django_assert_max_num_queries, url, persona, state
):
    client = login(walk.city[persona])
    walk.to(state)
    client.get(url)  # warm per-process caches
    with django_assert_max_num_queries(25) as first:
        client.get(url)
    for _ in range(4):
        walk.to(state)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_dispatch_queue_costs_at_most_ten_queries_whatever_its_length(
    walk, login, django_assert_max_num_queries
):
    """Issue 18: the dispatch queue read 38 queries (31 routing lookups); now the routing table is read once."""
    client = login(walk.city["dispatcher"])
    first = walk.to(State.FILED)
    client.get("/cases/queue/dispatch/")  # warm per-process caches
    with django_assert_max_num_queries(10) as one:
        page = client.get("/cases/queue/dispatch/").content.decode()
    assert first.number in page
    more = [walk.to(State.FILED) for _ in range(6)]
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/cases/queue/dispatch/").content.decode()
    assert all(c.number in page for c in more)  # positive control: the longer queue is really on the page


def test_it_shows_the_photo_exif_beside_the_reports_time_and_place(walk, login):
    from PIL import Image

    from ..evidence import attachment_create

    lng, lat = from_storage(*POINT_A, "wgs84")

    def dms(x):
        d = int(x)
        m = int((x - d) * 60)
        return (float(d), float(m), round((x - d - m / 60) * 3600, 4))

    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:03:10 08:40:00"
    exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lng)})
    supervisor = walk.city["supervisor"]
    photo = attachment_create(actor=supervisor, file=Upload(png_bytes(fmt="JPEG", exif=exif), "p.jpg"))
    case = walk.new(photos=[photo.pk])
    page = login(supervisor).get(f"/cases/{case.pk}/").content.decode()
    assert "距上报 20 分钟" in page and "距上报位置 0 米" in page


def test_the_dispatch_queue_reads_routing_once_however_many_places_and_matters(
    walk, login, django_assert_max_num_queries
):
    from chengguan.catalog.models import MatterType, RoutingRule

    client = login(walk.city["dispatcher"])
    walk.to(State.FILED)
    client.get("/cases/queue/dispatch/")  # warm per-process caches
    with django_assert_max_num_queries(25) as first:
        client.get("/cases/queue/dispatch/")
    matters = list(MatterType.objects.filter(is_active=True).exclude(pk=walk.matter.pk)[:4])
    for matter in matters:  # a rule and a filed case per matter: each would have cost a routing lookup
        RoutingRule.objects.create(matter=matter, department=walk.city.sanitation)
        case = walk.to(State.FILED)
        Case.objects.filter(pk=case.pk).update(matter=matter)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get("/cases/queue/dispatch/").content.decode()
    assert page.count("环卫处") >= len(matters)  # each case still shows its suggestion


def test_the_case_page_names_the_intake_channel_in_words(walk, login):
    case = walk.new()
    Case.objects.filter(pk=case.pk).update(channel="app")
    page = login(walk.city["operator"]).get(f"/cases/{case.pk}/").content.decode()
    source = page.split("<dt>来源</dt>", 1)[1].split("</dd>", 1)[0]
    assert "手机应用" in source and "app" not in source
