"""AI alarm batches: auto-file and review paths, suppression of repeats, the automatic check, replays, and bad
input refused naming the field with nothing stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chengguan.cases.models import Case
from chengguan.cases.services import case_act
from chengguan.cases.testing import T0
from chengguan.cases.workflow import State

from ..models import Alarm, AlarmRule, AutoCheck
from ..testing import CAMERA_A, post_signed, snapshot_b64

URL = "/api/v1/sensing/alarms"


def alarm(i, *, algorithm="garbage", confidence=0.95, event="alarm", device=CAMERA_A, **extra):
    return {
        "id": f"A-{i}",
        "device_id": device,
        "algorithm": algorithm,
        "confidence": confidence,
        "occurred_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        "event": event,
        "snapshot": snapshot_b64(),
        "boxes": [{"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.2, "label": "garbage"}],
        **extra,
    }


@pytest.fixture
def rules(fleet):
    return AlarmRule.objects.create(
        name="垃圾", matter=fleet["garbage"].matter, auto_file_confidence=0.9, review_confidence=0.6,
        suppress_minutes=60, suppress_metres=0, check_window_minutes=120,
    )


def test_it_auto_files_and_dispatches_then_suppresses_repeats_and_checks_automatically(client, city, fleet, rules, frozen):
    r = post_signed(client, URL, {"alarms": [alarm(1)]})
    assert r.status_code == 200, r.content
    result = r.json()["results"][0]
    assert result["status"] == "auto_filed" and result["case"]
    case = Case.objects.get(number=result["case"])
    assert case.source == "camera" and case.state == State.DISPATCHED
    assert case.current_department == city.sanitation
    assert case.attachments.filter(kind="before").count() == 1  # the snapshot
    # a repeat 10 minutes later attaches to the open case
    frozen.shift(timedelta(minutes=10))
    r = post_signed(client, URL, {"alarms": [alarm(2)]})
    assert r.json()["results"][0] == {
        "id": "A-2", "alarm": r.json()["results"][0]["alarm"], "status": "suppressed", "case": case.number,
        "duplicate": False,
    }
    assert Case.objects.count() == 1
    # the department replies: a waiting automatic check opens; a clear from the camera passes it
    case_act(actor=city["department_handler"], case=case, action="reply", reason="已清运")
    assert AutoCheck.objects.get(case=case).status == "waiting"
    frozen.shift(timedelta(minutes=10))
    r = post_signed(client, URL, {"alarms": [alarm(3, event="clear", confidence=None)]})
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.state == State.CHECK_PASSED
    event = case.events.get(action="check_pass")
    assert event.actor_role == "system" and event.actor is None
    assert case.attachments.filter(kind="after").count() == 1  # the clear's snapshot
    assert AutoCheck.objects.get(case=case).status == "passed"


def test_it_sends_a_replied_case_back_when_the_camera_sees_it_again(client, city, fleet, rules, frozen):
    number = post_signed(client, URL, {"alarms": [alarm(1)]}).json()["results"][0]["case"]
    case = Case.objects.get(number=number)
    case_act(actor=city["department_handler"], case=case, action="reply", reason="已清运")
    frozen.shift(timedelta(minutes=15))
    post_signed(client, URL, {"alarms": [alarm(2)]})
    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.rework_count == 1
    assert case.events.filter(action="check_fail", actor_role="system").count() == 1


def test_a_supervisor_may_still_check_by_hand(client, city, fleet, rules, frozen):
    number = post_signed(client, URL, {"alarms": [alarm(1)]}).json()["results"][0]["case"]
    case = Case.objects.get(number=number)
    case_act(actor=city["department_handler"], case=case, action="reply", reason="已清运")
    case_act(actor=city["supervisor"], case=case, action="check_pass")
    assert AutoCheck.objects.get(case=case).status == "moot"
    frozen.shift(timedelta(minutes=20))
    post_signed(client, URL, {"alarms": [alarm(2, event="clear", confidence=None)]})
    case.refresh_from_db()
    assert case.state == State.CHECK_PASSED and case.events.filter(action="check_pass").count() == 1


def test_an_urge_on_a_case_in_checking_leaves_the_waiting_check_waiting(client, city, fleet, rules, frozen):
    from chengguan.cases.models import CaseEvent

    from ..checks import on_case_events

    number = post_signed(client, URL, {"alarms": [alarm(1)]}).json()["results"][0]["case"]
    case = Case.objects.get(number=number)
    case_act(actor=city["department_handler"], case=case, action="reply", reason="已清运")
    case.refresh_from_db()
    assert case.state == "checking" and AutoCheck.objects.get(case=case).status == "waiting"
    urge = CaseEvent(case=case, action="urge", from_state="checking", to_state="checking", at=timezone.now())
    on_case_events(None, events=[urge])  # the sweeper's automatic urge: the case stays in checking
    assert AutoCheck.objects.get(case=case).status == "waiting"
    passed = CaseEvent(case=case, action="check_pass", from_state="checking", to_state="check_passed",
                       at=timezone.now())  # fmt: skip
    on_case_events(None, events=[passed])  # positive control: a move out of checking makes it moot
    assert AutoCheck.objects.get(case=case).status == "moot"


def test_middling_confidence_goes_to_review_and_low_is_ignored(client, city, fleet, rules, frozen):
    r = post_signed(client, URL, {"alarms": [alarm(1, confidence=0.7), alarm(2, confidence=0.3)]})
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses == ["pending", "ignored"]
    assert Case.objects.count() == 0


def test_a_replayed_batch_creates_nothing_twice(client, city, fleet, rules, frozen):
    batch = {"alarms": [alarm(1), alarm(2, confidence=0.7, device="41020300001320000002")]}
    first = post_signed(client, URL, batch).json()
    again = post_signed(client, URL, batch).json()
    assert first["received"] == 2 and again == {**first, "received": 0, "duplicates": 2,
                                                   "results": [{**x, "duplicate": True} for x in first["results"]]}
    assert Alarm.objects.count() == 2 and Case.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"device_id": "41020200001320009999"}, "alarms[1].device_id"),
        ({"algorithm": "nope"}, "alarms[1].algorithm"),
        ({"confidence": 1.5}, "alarms[1].confidence"),
        ({"occurred_at": "2026-01-01T09:00:00+08:00"}, "alarms[1].occurred_at"),
        ({"occurred_at": "2026-03-10T09:00:00"}, "alarms[1].occurred_at"),
        ({"snapshot": "bm90IGFuIGltYWdl"}, "alarms[1].snapshot"),
        ({"boxes": [{"x": 2}]}, "alarms[1].boxes[0]"),
        ({"id": "A-1"}, "alarms[1].id"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, fleet, rules, change, field):
    r = post_signed(client, URL, {"alarms": [alarm(1), {**alarm(2), **change}]})
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert Alarm.objects.count() == 0 and Case.objects.count() == 0
    # positive control: the same batch without the fault is taken
    assert post_signed(client, URL, {"alarms": [alarm(1), alarm(2)]}).status_code == 200


def test_a_bad_signature_or_token_is_refused(client, fleet, rules):
    assert post_signed(client, URL, {"alarms": [alarm(1)]}, secret="wrong").json()["field"] == "X-Signature"
    r = post_signed(client, URL, {"alarms": [alarm(1)]}, stamp=T0.timestamp() - 3600)
    assert r.status_code == 403 and r.json()["field"] == "X-Timestamp"
    r = client.post(URL, {"alarms": []}, content_type="application/json", HTTP_X_VENDOR="acme",
                    HTTP_AUTHORIZATION="Bearer nope")
    assert r.status_code == 403 and r.json()["field"] == "Authorization"
    assert Alarm.objects.count() == 0
    r = client.post(URL, {"alarms": [alarm(1)]}, content_type="application/json", HTTP_X_VENDOR="acme",
                    HTTP_AUTHORIZATION="Bearer vendor-secret-for-tests")
    assert r.status_code == 200 and Alarm.objects.count() == 1


def test_the_stored_case_text_is_in_the_sites_language_whoever_calls(city, fleet, rules):
    from django.utils import translation

    from ..alarms import alarms_receive

    with translation.override("en"):
        number = alarms_receive(vendor=fleet["vendor"], payload={"alarms": [alarm(1)]})[0]["case"]
        assert translation.gettext("camera") == "camera"  # positive control: English is active here
    assert "摄像头" in Case.objects.get(number=number).description
