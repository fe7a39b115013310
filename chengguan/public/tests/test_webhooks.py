"""Webhooks: every status change of a hotline case is queued, signed (verified here independently with hmac),
retried with exponential backoff, logged per attempt, and never sent twice by two senders at once."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from chengguan.cases.models import Case, CaseEvent
from chengguan.cases.services import case_act
from chengguan.public.models import WebhookAttempt, WebhookDelivery
from chengguan.public.services import webhooks
from chengguan.public.services.hotline import (
    hotline_category_map,
    hotline_system_create,
    subscriber_create,
    work_order_receive,
)

from .conftest import POINT_A, close_case

SECRET = "s3cret-for-tests-only-0123456789"


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that records what it gets and answers the queued status codes."""

    def __init__(self):
        self.received = []
        self.answers = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/chengguan"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hotline(city, grids, garbage, frozen, receiver):
    system, _key = hotline_system_create(code="12345", name="12345 热线")
    hotline_category_map(system=system, code="HJWS", matter=garbage)
    subscriber, _secret = subscriber_create(system=system, name="12345 回传", url=receiver.url, secret=SECRET)
    return system, subscriber


@pytest.fixture
def work_order(hotline, django_capture_on_commit_callbacks):
    system, _subscriber = hotline
    with django_capture_on_commit_callbacks(execute=True):
        wo, _ = work_order_receive(
            system=system, external_id="GD-1", category="HJWS", description="垃圾", lng=POINT_A[0], lat=POINT_A[1],
            caller_name="李四", caller_phone="13800138000",
        )  # fmt: skip
    return wo


def independent_signature_ok(headers: dict, body: bytes, secret: str = SECRET) -> bool:
    """What a hotline's receiver would do, without our code: HMAC-SHA256 over "<timestamp>.<body>"."""
    timestamp = headers["X-Chengguan-Timestamp"]
    expected = (
        "sha256=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    )
    return hmac.compare_digest(expected, headers["X-Chengguan-Signature"])


def test_it_queues_and_sends_every_status_change_signed(
    city, work_order, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = close_case(city, work_order.case)
    actions = list(
        WebhookDelivery.objects.order_by("event__at", "event__pk").values_list("event__action", flat=True)
    )
    assert actions == ["report", "accept", "file", "dispatch", "reply", "check_pass", "close"]

    summary = webhooks.deliver_due()
    assert summary["delivered"] == 7
    assert len(receiver.received) == 7
    for headers, body in receiver.received:
        assert independent_signature_ok(headers, body)
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert headers["X-Chengguan-Event"] == "case.status_changed"
    payloads = [json.loads(body) for _h, body in receiver.received]
    assert [p["state"] for p in payloads] == [
        "reported", "accepted", "filed", "dispatched", "checking", "check_passed", "closed",
    ]  # fmt: skip
    last = payloads[-1]
    assert last["status"] == "closed" and last["work_order_id"] == "GD-1" and last["hotline"] == "12345"
    assert last["case_number"] == case.number and len(last["photos"]) == 1
    assert payloads[3]["department"] == "环卫处"
    everything = json.dumps(payloads, ensure_ascii=False)
    assert "李四" not in everything and "13800138000" not in everything and "已清理" not in everything
    assert WebhookAttempt.objects.filter(status_code=200).count() == 7
    assert webhooks.deliver_due() == {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0, "deferred": 0}


def test_it_does_not_queue_events_that_change_no_state(city, work_order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case_act(actor=city["dispatcher"], case=work_order.case, action="urge", reason="请尽快")
    assert not WebhookDelivery.objects.filter(event__action="urge").exists()


def test_it_leaves_cases_of_other_sources_alone(
    city, grids, garbage, frozen, hotline, django_capture_on_commit_callbacks
):
    from chengguan.public.services.citizen import citizen_report

    with django_capture_on_commit_callbacks(execute=True):
        citizen_report(
            matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone="13900000000"
        )
    assert WebhookDelivery.objects.count() == 0


def test_it_retries_with_exponential_backoff_then_gives_up(work_order, receiver, frozen, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.answers = [500, 503, 500, 500]
    delivery = WebhookDelivery.objects.get()
    t0 = delivery.next_attempt_at
    expected_delays = [30, 60, 120]
    for attempt, delay in enumerate(expected_delays, start=1):
        assert webhooks.deliver_due()["retrying"] == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and delivery.status == "pending"
        assert delivery.next_attempt_at == t0 + timedelta(seconds=sum(expected_delays[:attempt]))
        assert webhooks.deliver_due()["retrying"] == 0  # not due yet
        frozen.shift(timedelta(seconds=delay))
    assert webhooks.deliver_due()["failed"] == 1
    delivery.refresh_from_db()
    assert (
        delivery.status == "failed" and delivery.last_status_code == 500 and delivery.next_attempt_at is None
    )
    assert list(delivery.log.values_list("number", "status_code")) == [(1, 500), (2, 503), (3, 500), (4, 500)]
    # an operator fixed the receiver and retries by hand: a fresh round, the log goes on
    webhooks.delivery_retry(delivery=delivery)
    assert webhooks.deliver_due()["delivered"] == 1
    assert list(delivery.log.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    for headers, body in receiver.received:
        assert independent_signature_ok(headers, body)  # each attempt signed afresh, same body
    assert len({body for _h, body in receiver.received}) == 1


def test_it_caps_the_backoff(settings):
    settings.WEBHOOK_BACKOFF_SECONDS, settings.WEBHOOK_BACKOFF_MAX_SECONDS = 30, 600
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 5, 6, 20)] == [30, 60, 120, 480, 600, 600]


def test_it_counts_a_redirect_or_an_unreachable_receiver_as_failed(work_order, receiver, hotline):
    receiver.answers = [302]
    webhooks.deliver_due()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 302
    _system, subscriber = hotline
    subscriber.url = "http://127.0.0.1:9/closed-port"
    subscriber.save()
    delivery.next_attempt_at = delivery.created_at
    delivery.save()
    webhooks.deliver_due()
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_status_code is None and delivery.last_error


def test_it_never_sends_one_attempt_twice_when_two_senders_run_at_once(work_order, receiver):
    """While the first sender is on the wire, a second sender finds the row claimed and skips it."""
    inner = {}

    def sender(url, body, headers, timeout):
        inner["summary"] = webhooks.deliver_due()  # a second process's pass, mid-flight
        return webhooks.send_http(url, body, headers, timeout)

    outer = webhooks.deliver_due(sender=sender)
    assert outer["delivered"] == 1
    assert inner["summary"]["delivered"] == 0
    assert len(receiver.received) == 1


def test_it_lets_only_one_of_two_identical_claims_win(work_order, frozen):
    """The compare-and-set itself: two senders read the same row state; only one claim succeeds."""
    from django.utils import timezone

    delivery = WebhookDelivery.objects.get()
    first = webhooks._claim(delivery.pk, "pending", 0, "", timezone.now())
    second = webhooks._claim(delivery.pk, "pending", 0, "", timezone.now())
    assert first and second is None


def test_it_takes_over_a_stale_claim(work_order, receiver, frozen):
    from django.utils import timezone

    delivery = WebhookDelivery.objects.get()
    assert webhooks._claim(delivery.pk, "pending", 0, "", timezone.now())  # a sender died holding it
    assert webhooks.deliver_due()["delivered"] == 0
    frozen.shift(webhooks.stale_after() + timedelta(seconds=1))
    assert webhooks.deliver_due()["delivered"] == 1
    assert len(receiver.received) == 1


def test_it_catches_up_events_the_signal_missed(city, work_order, frozen):
    case = case_act(
        actor=city["operator"], case=work_order.case, action="accept"
    )  # no on_commit: signal lost
    assert not WebhookDelivery.objects.filter(event__action="accept").exists()
    assert webhooks.catch_up(now=frozen_now()) == 1
    assert WebhookDelivery.objects.filter(event__action="accept", case=case).exists()
    assert webhooks.catch_up(now=frozen_now()) == 0


def frozen_now():
    from django.utils import timezone

    return timezone.now()


def test_the_command_catches_up_and_delivers(city, work_order, receiver):
    case_act(actor=city["operator"], case=work_order.case, action="accept")
    call_command("webhooks", "deliver")
    assert len(receiver.received) == 2
    assert all(independent_signature_ok(h, b) for h, b in receiver.received)


def test_our_verifier_accepts_fresh_and_refuses_stale_or_forged_signatures():
    body = b'{"a": 1}'
    now = 1_780_000_000
    good = webhooks.sign(SECRET, now, body)
    assert webhooks.verify_signature(SECRET, timestamp=str(now), signature=good, body=body, now=now + 10)
    assert not webhooks.verify_signature(SECRET, timestamp=str(now), signature=good, body=body, now=now + 301)
    assert not webhooks.verify_signature(
        SECRET, timestamp=str(now), signature=good, body=b'{"a": 2}', now=now
    )
    assert not webhooks.verify_signature(
        "other-secret-000000", timestamp=str(now), signature=good, body=body, now=now
    )
    assert not webhooks.verify_signature(SECRET, timestamp="soon", signature=good, body=body, now=now)


def test_it_lists_the_delivery_log_to_the_hotline(client, work_order, receiver):
    from chengguan.org.services import token_create

    webhooks.deliver_due()
    _t, key = token_create(user=work_order.system.user)
    data = client.get("/api/v1/hotline/deliveries", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert [(d["status"], d["case_number"]) for d in data["results"]] == [
        ("delivered", work_order.case.number)
    ]
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_it_tries_a_failing_receiver_once_per_pass(
    city, work_order, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_act(actor=city["operator"], case=work_order.case, action="accept")
    receiver.answers = [503, 503]
    summary = webhooks.deliver_due()
    assert summary["retrying"] == 1 and summary["deferred"] == 1
    assert sorted(WebhookDelivery.objects.values_list("attempts", flat=True)) == [0, 1]
    assert len(receiver.received) == 1
