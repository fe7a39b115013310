"""智能核查 on the vendor's side: a department's reply on a camera case asks the vendor for a fresh analysis —
a signed POST to the vendor's URL by the job, retried with backoff when it fails, the failures visible — tested
against a real HTTP server on 127.0.0.1 started by the test."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chengguan.cases.models import Case
from chengguan.cases.services import case_act

from ..callbacks import MAX_ATTEMPTS, send_due
from ..models import AlarmRule, AnalysisRequest, Vendor
from ..testing import CAMERA_A, SECRET, post_signed
from ..vendors import signature
from .test_alarm_intake import URL, alarm


@pytest.fixture
def vendor_server():
    """A vendor endpoint answering the statuses queued in `answers` (then 200), recording what it got."""
    got, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append({"headers": dict(self.headers), "body": body})
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/fresh", got, answers
    server.shutdown()
    server.server_close()


@pytest.fixture
def replied(client, city, fleet, frozen):
    AlarmRule.objects.create(name="垃圾", matter=fleet["garbage"].matter, auto_file_confidence=0.9,
                             review_confidence=0.6, suppress_metres=0, check_window_minutes=120)

    def reply():
        number = post_signed(client, URL, {"alarms": [alarm(1)]}).json()["results"][0]["case"]
        case = Case.objects.get(number=number)
        case_act(actor=city["department_handler"], case=case, action="reply", reason="已清运")
        return case

    return reply


def test_a_reply_asks_the_vendor_signed_and_a_failure_is_retried(vendor_server, replied, fleet, frozen, client,
                                                                 city):
    url, got, answers = vendor_server
    Vendor.objects.filter(pk=fleet["vendor"].pk).update(callback_url=url)
    answers.append(500)
    case = replied()
    req = AnalysisRequest.objects.get()
    assert req.status == "pending" and req.auto_check.case == case
    assert send_due() == 0  # the server answered 500
    req.refresh_from_db()
    assert req.status == "pending" and req.attempts == 1 and "500" in req.last_error
    assert send_due() == 0 and len(got) == 1  # not due again before its backoff
    frozen.shift(timedelta(minutes=1, seconds=1))
    assert send_due() == 1
    req.refresh_from_db()
    assert req.status == "sent" and req.attempts == 2 and req.last_error == ""
    sent = got[-1]
    stamp = sent["headers"]["X-Timestamp"]
    assert sent["headers"]["X-Vendor"] == "acme"
    assert sent["headers"]["X-Signature"] == signature(SECRET, stamp, sent["body"])
    body = json.loads(sent["body"])
    assert body["device_id"] == CAMERA_A and body["matter"] == fleet["garbage"].matter.code
    assert body["case"] == case.number
    frozen.shift(timedelta(hours=1))
    assert send_due() == 0 and len(got) == 2  # sent once only
    # the attempts show on the case page
    client.force_login(city["supervisor"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "向某视频AI厂商请求重新分析" in page and "（2 次）" in page


def test_an_unreachable_vendor_is_retried_then_given_up_visibly(replied, fleet, frozen):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    Vendor.objects.filter(pk=fleet["vendor"].pk).update(callback_url=f"http://127.0.0.1:{port}/fresh")
    replied()
    for _ in range(MAX_ATTEMPTS):
        send_due()
        frozen.shift(timedelta(hours=1))
    req = AnalysisRequest.objects.get()
    assert req.status == "failed" and req.attempts == MAX_ATTEMPTS and req.last_error


def test_no_url_no_request_but_the_check_still_waits(replied):
    case = replied()
    assert AnalysisRequest.objects.count() == 0
    assert case.sensing_checks.get().status == "waiting"
