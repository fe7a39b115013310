"""After a case event commits: the reporter of a closed citizen or hotline case is asked for a rating (in
Chinese, phone only), never for an old replayed closure; a failing receiver never breaks the case action."""

from datetime import timedelta

import pytest

from chengguan.cases.channels import Channel
from chengguan.public.services.citizen import citizen_report

from .conftest import POINT_A, close_case


class Capture(Channel):
    name = "capture"
    sent: list = []

    def send(self, message):
        Capture.sent.append(message)


@pytest.fixture
def captured(settings):
    settings.CASES_NOTIFICATION_CHANNELS = ["chengguan.public.tests.test_receivers.Capture"]
    Capture.sent = []
    return Capture.sent


@pytest.fixture
def report(city, grids, garbage, frozen):
    return citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone="13912341234"
    )


def test_it_asks_the_reporter_for_a_rating_when_the_case_closes(
    city, report, captured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = close_case(city, report)
    invitations = [m for m in captured if m.kind == "rating_invitation"]
    assert len(invitations) == 1
    message = invitations[0]
    assert message.phone == "13912341234" and message.user_id is None and message.case_number == case.number
    assert "请对" in message.text and "/p/follow/" in message.text


def test_it_does_not_ask_about_a_closure_replayed_from_long_ago(
    city, report, captured, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = close_case(city, report)
    captured.clear()
    from chengguan.cases.models import CaseEvent
    from chengguan.cases.signals import case_event_recorded

    frozen.shift(timedelta(days=3))
    event = CaseEvent.objects.get(case=case, action="close")
    case_event_recorded.send(sender=CaseEvent, event=event)  # e.g. an importer replaying history
    assert not [m for m in captured if m.kind == "rating_invitation"]


def test_a_failing_receiver_never_breaks_the_case_action(
    city, report, monkeypatch, django_capture_on_commit_callbacks
):
    from chengguan.public import receivers

    def explode(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(receivers, "enqueue_for_event", explode)
    monkeypatch.setattr(receivers, "points_award", explode)
    with django_capture_on_commit_callbacks(execute=True):
        case = close_case(city, report)
    assert case.state == "closed"
