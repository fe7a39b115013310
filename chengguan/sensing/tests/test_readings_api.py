"""POST /api/v1/sensing/readings: all-or-nothing batches naming the bad field, replays stored once, rollups per
hour and day, and the offline sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chengguan.cases.models import Case

from ..models import Alarm, Reading, Rollup
from ..monitor import offline_sweep, rollup_due
from ..readings import readings_ingest
from ..testing import post_signed

URL = "/api/v1/sensing/readings"


def rows(values, *, device="COVER-0001", start=None):
    start = start or timezone.now() - timedelta(minutes=30)
    return [{"device_id": device, "at": (start + timedelta(minutes=i)).isoformat(), "value": v}
            for i, v in enumerate(values)]


def test_a_batch_is_stored_and_a_replay_changes_nothing(client, fleet):
    batch = {"readings": rows([1.0, 20.0, 21.0, 2.0])}
    r = post_signed(client, URL, batch)
    assert r.status_code == 200, r.content
    assert r.json() == {"stored": 4, "alarms": 1, "cleared": 0, "cases": [Case.objects.get().number]}
    again = post_signed(client, URL, batch).json()
    assert again == {"stored": 4, "alarms": 0, "cleared": 0, "cases": []}
    assert Reading.objects.count() == 4 and Alarm.objects.count() == 1 and Case.objects.count() == 1


@pytest.mark.parametrize(
    "fault, field",
    [
        ({"device_id": "NOPE"}, "readings[1].device_id"),
        ({"value": "high"}, "readings[1].value"),
        ({"value": float("nan")}, "readings[1].value"),
        ({"at": "yesterday"}, "readings[1].at"),
        ({"at": "2026-03-01T09:00:00+08:00"}, "readings[1].at"),
        ({"at": "2026-03-10T09:00:00"}, "readings[1].at"),
        ({"battery": 140}, "readings[1].battery"),
        ({"value": True}, "readings[1].value"),  # JSON true is not a number
        ({"at": True}, "readings[1].at"),
        ({"device_id": ["COVER-0001"]}, "readings[1].device_id"),
    ],
)
def test_bad_readings_are_refused_naming_the_field_and_nothing_is_stored(client, fleet, fault, field):
    batch = rows([1.0, 20.0, 21.0])
    batch[1] = {**batch[1], **fault}
    r = post_signed(client, URL, {"readings": batch}) if fault.get("value") == fault.get("value") else None
    if r is None:  # NaN is not JSON: go through the service
        with pytest.raises(Exception) as exc:
            readings_ingest(rows=batch)
        assert exc.value.field == field
    else:
        assert r.status_code == 422, r.content
        assert r.json()["field"] == field
    assert Reading.objects.count() == 0 and Alarm.objects.count() == 0
    assert post_signed(client, URL, {"readings": rows([1.0, 20.0, 21.0])}).status_code == 200  # positive control


def test_an_outsider_vendor_is_refused(client, fleet):
    r = post_signed(client, URL, {"readings": rows([1.0])}, vendor="someone")
    assert r.status_code == 403 and r.json()["field"] == "X-Vendor"
    assert Reading.objects.count() == 0


def test_rollups_per_hour_and_day(fleet, frozen):
    """New readings are rolled up in the batch (incrementally, across batches); a replayed batch marks its hours
    and the job recomputes them from the stored readings, so nothing is counted twice."""
    start = timezone.now() - timedelta(hours=2)
    readings_ingest(rows=rows([1.0, 3.0], start=start))
    readings_ingest(rows=rows([5.0], start=start + timedelta(minutes=2)) + rows([7.0], start=start + timedelta(hours=1)))
    assert rollup_due() == 0  # nothing left for the job

    def rolled():
        hours = list(Rollup.objects.filter(period="hour").order_by("start"))
        day = Rollup.objects.get(period="day")
        return ([(h.count, h.minimum, h.maximum, h.mean) for h in hours],
                (day.count, day.minimum, day.maximum, day.total))

    expected = ([(3, 1.0, 5.0, 3.0), (1, 7.0, 7.0, 7.0)], (4, 1.0, 7.0, 16.0))
    assert rolled() == expected
    # a replay holding one new reading: its hour is recomputed by the job, not added to
    readings_ingest(rows=rows([1.0, 3.0], start=start) + rows([9.0], start=start + timedelta(minutes=3)))
    assert rolled() == expected  # not yet: the job recomputes
    assert rollup_due() == 1
    assert rolled() == ([(4, 1.0, 9.0, 4.5), (1, 7.0, 7.0, 7.0)], (5, 1.0, 9.0, 25.0))
    assert Reading.objects.count() == 5


def test_a_silent_sensor_goes_offline_once_and_back_online_with_a_reading(fleet, frozen):
    readings_ingest(rows=rows([1.0]))
    assert offline_sweep() == 0  # positive control: seen 30 minutes ago, its type allows 30
    frozen.shift(timedelta(minutes=31))
    assert offline_sweep() == 1 and offline_sweep() == 0
    alarm = Alarm.objects.get(kind="offline")
    assert alarm.status == "raised"
    readings_ingest(rows=rows([1.0], start=timezone.now()))
    alarm.refresh_from_db()
    assert alarm.status == "cleared"


def test_a_vendor_may_write_only_its_own_sensors(client, fleet):
    """Another (authenticated) vendor posting readings for acme's sensor is refused as an unknown sensor and
    nothing is stored; a sensor without a vendor takes readings only from the MQTT listener."""
    from ..models import Sensor, Vendor

    Vendor.objects.create(code="other", name="另一家厂商", secret="other-secret")
    batch = {"readings": rows([1.0, 20.0, 21.0])}
    r = post_signed(client, URL, batch, vendor="other", secret="other-secret")
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "readings[0].device_id"
    assert Reading.objects.count() == 0 and Alarm.objects.count() == 0
    Sensor.objects.filter(device_id="COVER-0001").update(vendor=None)
    assert post_signed(client, URL, batch).status_code == 422
    assert Reading.objects.count() == 0
    assert readings_ingest(rows=batch["readings"]).stored == 3  # the listener's path (no vendor)
    Sensor.objects.filter(device_id="COVER-0001").update(vendor=fleet["vendor"])
    later = rows([1.0], start=timezone.now() - timedelta(minutes=5))
    assert post_signed(client, URL, {"readings": later}).status_code == 200  # positive control: the owner


def test_huge_finite_values_are_stored_although_their_sum_overflows(fleet):
    """The set-wise check sums the values; an overflow sends the batch through the row pass, which accepts it."""
    out = readings_ingest(rows=rows([1e308, 1e308, -1e308]))
    assert out.stored == 3 and Reading.objects.count() == 3
