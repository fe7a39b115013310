"""Cameras go offline like sensors: silent (no alarm, clear or status push) for the configured minutes → an
offline alarm once; an alarm or a heartbeat brings the camera back and clears it. The status push is a vendor's
signed batch, all-or-nothing."""

from datetime import timedelta

from ..models import Alarm, Camera
from ..monitor import offline_sweep
from ..testing import CAMERA_A, CAMERA_B, post_signed
from .test_alarm_intake import alarm

STATUS = "/api/v1/sensing/status"


def test_a_silent_camera_goes_offline_once_and_an_alarm_brings_it_back(client, fleet, frozen, settings):
    settings.SENSING_CAMERA_OFFLINE_MINUTES = 60
    assert post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_A, "online": True}]}).json() == {
        "online": 1, "offline": 0}
    frozen.shift(timedelta(minutes=59))
    assert offline_sweep() == 0  # positive control: seen 59 minutes ago
    frozen.shift(timedelta(minutes=2))
    assert offline_sweep() == 1 and offline_sweep() == 0
    off = Alarm.objects.get(kind="offline")
    assert off.camera.device_id == CAMERA_A and off.status == "raised"
    assert not Camera.objects.get(device_id=CAMERA_A).is_online
    r = post_signed(client, "/api/v1/sensing/alarms", {"alarms": [alarm(1, confidence=0.1)]})
    assert r.status_code == 200, r.content
    off.refresh_from_db()
    assert off.status == "cleared" and Camera.objects.get(device_id=CAMERA_A).is_online


def test_a_status_push_sets_cameras_offline_and_bad_input_changes_nothing(client, fleet, frozen):
    post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_A, "online": True},
                                             {"device_id": CAMERA_B, "online": True}]})
    r = post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_A, "online": False},
                                                 {"device_id": "NOPE", "online": False}]})
    assert r.status_code == 422 and r.json()["field"] == "devices[1].device_id"
    assert Camera.objects.filter(is_online=True).count() == 2 and not Alarm.objects.exists()
    r = post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_B, "online": "no"}]})
    assert r.status_code == 422 and r.json()["field"] == "devices[0].online"
    r = post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_A, "online": False}]})
    assert r.status_code == 200
    assert Alarm.objects.get(kind="offline").camera.device_id == CAMERA_A
    assert post_signed(client, STATUS, {"devices": [{"device_id": CAMERA_A, "online": True}]},
                       vendor="someone").status_code == 403  # an outsider vendor
    assert Alarm.objects.get(kind="offline").status == "raised"
