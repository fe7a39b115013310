"""Merging duplicates, and notices reaching people through the configured channels."""

import json
from datetime import timedelta

import pytest

from chengguan.core.errors import ValidationError

from .. import channels
from ..models import Notification
from ..workflow import State


def test_it_merges_a_duplicate_into_an_open_case_and_tells_its_reporter(walk):
    target = walk.to(State.FILED)
    duplicate = walk.new(by=None, source="citizen", reporter_phone="13900003333")
    duplicate = walk.act(duplicate, "merge", "operator", target_id=target.number)
    assert duplicate.state == State.MERGED and duplicate.merged_into == target and not duplicate.is_open
    assert list(target.merged_cases.all()) == [duplicate]


@pytest.mark.parametrize("target_state", [State.CLOSED, State.VOIDED])
def test_it_refuses_to_merge_into_a_finished_case(walk, target_state):
    target = walk.to(target_state)
    duplicate = walk.new()
    with pytest.raises(ValidationError) as err:
        walk.act(duplicate, "merge", "operator", target_id=target.pk)
    assert err.value.field == "target_id"
    duplicate.refresh_from_db()
    assert duplicate.state == State.REPORTED


def test_it_refuses_a_merge_dated_before_its_target_was_reported(walk):
    target = walk.to(State.ACCEPTED)
    duplicate = walk.new()
    with pytest.raises(ValidationError) as err:
        walk.act(duplicate, "merge", "operator", target_id=target.pk, at=target.reported_at - timedelta(hours=1))
    assert err.value.field == "target_id" and target.number in str(err.value)
    duplicate.refresh_from_db()
    assert duplicate.state == State.REPORTED and duplicate.merged_into is None
    # the same merge dated after the target's report goes through
    duplicate = walk.act(duplicate, "merge", "operator", target_id=target.pk, at=target.reported_at + timedelta(hours=1))
    assert duplicate.merged_into == target


def test_it_refuses_to_merge_a_case_into_itself_or_an_unknown_one(walk):
    case = walk.new()
    for target in (case.pk, "KF2026-999999", 987654):
        with pytest.raises(ValidationError) as err:
            walk.act(case, "merge", "operator", target_id=target)
        assert err.value.field == "target_id"
    case.refresh_from_db()
    assert case.state == State.REPORTED


def test_it_sends_copies_through_the_sms_gateway(
    walk, settings, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []

    class Response:
        def read(self):
            return b"ok"

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(request, timeout):
        sent.append((request.full_url, json.loads(request.data)))
        return Response()

    settings.CASES_NOTIFICATION_CHANNELS = ["chengguan.cases.channels.SmsChannel"]
    settings.CASES_SMS_GATEWAY_URL = "https://sms.example.invalid/send"
    monkeypatch.setattr(channels.urllib.request, "urlopen", fake_urlopen)
    case = walk.new(by=None, source="citizen", reporter_phone="13900004444")
    with django_capture_on_commit_callbacks(execute=True):
        walk.act(case, "reject", "operator", reason="不属于城管范围")
    assert sent == [
        ("https://sms.example.invalid/send",
         {"to": "13900004444", "text": f"您反映的问题 {case.number} 未予受理：不属于城管范围", "kind": "rejected",
          "case": case.number})
    ]  # fmt: skip


def test_a_failing_channel_never_breaks_the_action(walk, settings, django_capture_on_commit_callbacks):
    settings.CASES_NOTIFICATION_CHANNELS = ["chengguan.cases.tests.test_merge_and_channels.BrokenChannel"]
    with django_capture_on_commit_callbacks(execute=True):
        case = walk.to(State.DISPATCHED)
    assert case.state == State.DISPATCHED
    assert Notification.objects.filter(user=walk.city["department_handler"], case=case).exists()


class BrokenChannel(channels.Channel):
    name = "broken"

    def send(self, message):
        raise ConnectionError("gateway down")
