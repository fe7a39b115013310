"""IoT readings through a real Mosquitto: threshold with debounce raises an alarm and a case (dispatched by the
routing rule); the department replies; readings back inside the hysteresis clear it and pass the check."""

import json
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
from django.utils import timezone

from chengguan.cases.models import Case
from chengguan.cases.services import case_act
from chengguan.cases.workflow import State

from ..models import Alarm, AutoCheck, Reading
from ..mqtt import Listener


def publish(port, prefix, device_id, values, start):
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect("127.0.0.1", port)
    client.loop_start()
    for i, v in enumerate(values):
        at = (start + timedelta(seconds=i)).isoformat()
        client.publish(f"{prefix}/{device_id}/reading", json.dumps({"value": v, "at": at, "battery": 80}), qos=1).wait_for_publish(5)
    client.publish(f"{prefix}/{device_id}/reading", b"not json", qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


def drain_until(listener, count, timeout=10):
    """Ingest in the test's thread (and database transaction) until `count` readings are stored."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listener.drain()
        if Reading.objects.count() >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"only {Reading.objects.count()} of {count} readings arrived")


def test_readings_raise_a_case_and_the_clear_passes_the_check(city, live_fleet, mosquitto):
    sensor = live_fleet["sensor"]
    prefix = f"test-sense-{uuid.uuid4().hex[:8]}"
    listener = Listener(port=mosquitto, prefix=prefix, flush_seconds=0.1)
    listener.start()
    try:
        start = timezone.now() - timedelta(minutes=10)
        # one reading above the threshold is debounced away; two in a row raise
        publish(mosquitto, prefix, sensor.device_id, [2.0, 20.0, 3.0, 21.0, 22.0, 23.0], start)
        drain_until(listener, 6)
        alarm = Alarm.objects.get(sensor=sensor, event="alarm")
        assert alarm.value == 22.0 and alarm.case is not None
        case = alarm.case
        assert case.state == State.DISPATCHED and case.current_department == city.sanitation
        assert listener.dropped == 1  # the payload that was not JSON
        sensor.refresh_from_db()
        assert sensor.in_alarm and sensor.is_online and sensor.battery == 80 and sensor.last_value == 23.0

        case_act(actor=city["department_handler"], case=case, action="reply", reason="井盖已复位")
        assert AutoCheck.objects.get(case=case).status == "waiting"
        # 12° is inside the threshold but not by the hysteresis (≤ 10°); 4° is one normal reading: no clear yet
        publish(mosquitto, prefix, sensor.device_id, [12.0, 4.0], timezone.now())
        drain_until(listener, 8)
        case.refresh_from_db()
        assert case.state == State.CHECKING
        publish(mosquitto, prefix, sensor.device_id, [3.0], timezone.now() + timedelta(seconds=5))
        drain_until(listener, 9)
        case.refresh_from_db()
        assert case.state == State.CHECK_PASSED
        assert case.events.get(action="check_pass").actor_role == "system"
        assert Alarm.objects.filter(sensor=sensor, event="clear").count() == 1
        assert Case.objects.count() == 1
    finally:
        listener.stop()
