"""Benchmark: hotline intake, webhook delivery and Open311 reads (the public app), each beside a baseline.

    python bench/public.py [N]          (CHENGGUAN_DATABASE_URL=postgresql://… for PostgreSQL)

Creates a throw-away test database (migrations included) with the test city and its grids, then:

1. receives N hotline work orders through `work_order_receive` (idempotency check + case + work order row),
   beside the baseline of N plain `case_report` calls with the same input; then receives the same N ids again
   (the idempotent replay path);
2. queues the N work orders' events for one webhook subscriber and sends them with `deliver_due` to a local
   HTTP receiver (claim, sign, POST, log row), beside the baseline of N bare `urllib` POSTs to it;
3. answers `GET /open311/v2/requests.json` for a page of up to 1000 requests (`page_size=1000`), plain and
   with `extensions=true`, and the default page (100), beside the baseline of loading the same cases as
   model objects.
"""

import json
import os
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_public")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

POINT = (114.3075, 34.8075)


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def rate(n, seconds) -> str:
    return f"{n / seconds:>9.0f}/s ({seconds / n * 1e3:6.2f} ms each)"


def main(n: int):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        from django.test import Client

        from chengguan import conftest
        from chengguan.cases.models import Case, CaseEvent, Source
        from chengguan.cases.services import case_report
        from chengguan.cases.signals import case_event_recorded
        from chengguan.catalog.models import MatterType
        from chengguan.grids.testing import make_grids
        from chengguan.public.models import WebhookDelivery
        from chengguan.public.services import webhooks
        from chengguan.public.services.hotline import (
            hotline_category_map,
            hotline_system_create,
            subscriber_create,
            work_order_receive,
        )

        city = conftest.city.__wrapped__(None)
        make_grids(city)
        garbage = MatterType.objects.get(code="06010")
        system, _token = hotline_system_create(code="12345", name="12345")
        hotline_category_map(system=system, code="HJWS", matter=garbage)
        report = dict(
            matter=garbage, lng=POINT[0], lat=POINT[1], description="市民来电：垃圾", address="西门大街"
        )
        receivers = case_event_recorded.receivers[:]
        case_event_recorded.receivers.clear()  # section 1 and 3 time the intake alone; section 2 queues explicitly
        try:
            t0 = time.perf_counter()
            for i in range(n):
                case_report(
                    actor=None, source=Source.HOTLINE, external_id=f"B{i}", channel_ref="12345", **report
                )
            baseline = time.perf_counter() - t0
            t0 = time.perf_counter()
            for i in range(n):
                work_order_receive(system=system, external_id=f"W{i}", category="HJWS", **_hotline(report))
            received = time.perf_counter() - t0
            t0 = time.perf_counter()
            for i in range(n):
                work_order_receive(system=system, external_id=f"W{i}", category="HJWS", **_hotline(report))
            replayed = time.perf_counter() - t0
        finally:
            case_event_recorded.receivers[:] = receivers
        print(f"database: {connection.vendor}, work orders: {n}")
        print(f"baseline: case_report (hotline source)       {rate(n, baseline)}")
        print(f"work_order_receive, new id                   {rate(n, received)}  ×{received / baseline:.2f}")
        print(f"work_order_receive, same id again (replay)   {rate(n, replayed)}")

        subscriber_create(system=system, name="bench", url=url, secret="bench-secret-0123456789")
        events = CaseEvent.objects.filter(case__hotline_work_order__system=system)
        for event in events:
            webhooks.enqueue_for_event(event)
        queued = WebhookDelivery.objects.count()
        body = WebhookDelivery.objects.first().body.encode()
        t0 = time.perf_counter()
        for _ in range(queued):
            request = urllib.request.Request(
                url, data=body, method="POST", headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local sink
                response.read()
        bare = time.perf_counter() - t0
        t0 = time.perf_counter()
        sent = 0
        while True:
            summary = webhooks.deliver_due(batch=500)
            sent += summary["delivered"]
            if not summary["delivered"]:
                break
        delivered = time.perf_counter() - t0
        assert sent == queued, (sent, queued)
        print(f"baseline: bare urllib POST to a local sink   {rate(queued, bare)}")
        print(
            f"deliver_due (claim, sign, POST, log)         {rate(queued, delivered)}  ×{delivered / bare:.2f}"
        )

        client = Client()
        page = min(Case.objects.count(), 1000)
        t0 = time.perf_counter()
        list(Case.objects.select_related("matter").order_by("-reported_at")[:page])
        load = time.perf_counter() - t0
        timings = {}
        full = {"page_size": 1000}
        default = min(page, 100)  # the default page (OPEN311_PAGE_SIZE)
        for label, params, size in (
            ("plain", full, page),
            ("extensions=true", {**full, "extensions": "true"}, page),
            ("default page", {}, default),
        ):
            client.get("/open311/v2/requests.json", params)  # warm up
            t0 = time.perf_counter()
            response = client.get("/open311/v2/requests.json", params)
            body = b"".join(response)  # a page over 100 items is streamed: its bytes are made while read
            timings[label] = (size, time.perf_counter() - t0)
            assert response.status_code == 200 and len(json.loads(body)) == size
        print(f"baseline: load {page} cases as objects         {load * 1e3:8.1f} ms")
        for label, (size, seconds) in timings.items():
            print(
                f"GET requests.json, {size} requests, {label:<16}{seconds * 1e3:8.1f} ms  ×{seconds / load:.1f}"
            )
    finally:
        server.shutdown()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _hotline(report: dict) -> dict:
    return {
        "description": report["description"],
        "lng": report["lng"],
        "lat": report["lat"],
        "address": report["address"],
        "caller_phone": "13800138000",
    }


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
