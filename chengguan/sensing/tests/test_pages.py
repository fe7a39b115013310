"""The 监测 page, the review queue with one-click decisions, the GeoJSON layers, snapshots and the case page's
evidence block — and who may open them."""

import pytest

from chengguan.cases.models import Case

from ..alarms import alarms_receive
from ..models import Alarm, AlarmRule
from ..readings import readings_ingest
from .test_alarm_intake import alarm


@pytest.fixture
def busy(fleet):
    AlarmRule.objects.create(name="全部", auto_file_confidence=0.9, review_confidence=0.6, suppress_metres=0)
    alarms_receive(vendor=fleet["vendor"], payload={"alarms": [alarm(1), alarm(2, algorithm="vending", confidence=0.7)]})
    return fleet


def test_the_monitoring_page_shows_devices_stream_and_precision(client, city, busy):
    client.force_login(city["operator"])
    r = client.get("/sensing/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "西门大街东口" in html and "占道经营识别" in html and "暴露垃圾" in html
    geo = client.get("/sensing/devices.geojson").json()
    assert {f["properties"]["kind"] for f in geo["features"]} == {"camera", "sensor"}
    assert len(client.get("/sensing/alarms.geojson").json()["features"]) == 2


def test_the_review_queue_decides_with_one_click(client, city, busy):
    client.force_login(city["operator"])
    pending = Alarm.objects.get(status="pending")
    assert "占道经营识别" in client.get("/sensing/review/").content.decode()
    r = client.post(f"/sensing/alarms/{pending.pk}/accept")
    assert r.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "accepted" and pending.case is not None


def test_the_case_page_shows_the_snapshot_and_a_case_reader_may_open_it(client, city, busy):
    case = Case.objects.get()
    a = Alarm.objects.get(case=case)
    client.force_login(city["department_handler"])  # sees the case dispatched to sanitation, not the centre
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/sensing/alarms/{a.pk}/snapshot" in html
    r = client.get(f"/sensing/alarms/{a.pk}/snapshot")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:4] == b"\x89PNG"


def test_outsiders_get_no_monitoring(client, city, busy):
    readings_ingest(rows=[{"device_id": "COVER-0001", "at": "2026-03-10T08:00:00+08:00", "value": 1.0}])
    a = Alarm.objects.get(status="pending")
    for name in ("outsider", "nobody", "supervisor", "department_handler"):
        client.force_login(city[name])
        assert client.get("/sensing/").status_code == 403, name
        assert client.get("/sensing/devices.geojson").status_code == 403, name
        assert client.post(f"/sensing/alarms/{a.pk}/accept").status_code == 403, name
        assert client.get(f"/sensing/alarms/{a.pk}/snapshot").status_code == 404, name  # not their case
    client.logout()
    assert client.get("/sensing/").status_code == 302
    a.refresh_from_db()
    assert a.status == "pending"
