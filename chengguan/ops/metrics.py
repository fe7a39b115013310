"""/metrics in Prometheus text format: request counts and latencies (shared by gunicorn's processes through
the client library's multiprocess mode under `chengguan serve`), plus figures read from the database at each
scrape: open and overdue cases, the sweeper's backlog, the webhook queue, worker heartbeats, jobs' last runs.

Who may read it: with CHENGGUAN_METRICS_TOKEN set, whoever sends `Authorization: Bearer <token>`; without it,
only a direct request from this machine (loopback address and no X-Forwarded-For / X-Real-IP header, so a
request relayed by a local reverse proxy is still refused). Everyone else gets 403.
"""

from __future__ import annotations

import hmac
import os
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Min
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "chengguan_http_requests", "HTTP requests answered, by method, view and status code",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "chengguan_http_request_duration_seconds", "Time to answer a request, by view",
    ["view"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LOOPBACK = {"127.0.0.1", "::1"}


class MetricsMiddleware:
    """Counts every answer (first in the chain, so static files and refusals count too)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None:
            view = match.view_name or "unnamed"
        elif request.path.startswith(self.static_prefix):
            view = "static"
        else:
            view = "unmatched"
        REQUESTS.labels(request.method if request.method in _METHODS else "other", view, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


def allowed(request) -> bool:
    token = os.environ.get("CHENGGUAN_METRICS_TOKEN", "")
    if token:
        header = request.headers.get("Authorization", "")
        given = header[7:] if header.startswith("Bearer ") else ""
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())
    relayed = "X-Forwarded-For" in request.headers or "X-Real-Ip" in request.headers
    return request.META.get("REMOTE_ADDR") in LOOPBACK and not relayed


class DatabaseCollector:
    """Figures read at scrape time (cheap counts on indexed columns)."""

    def collect(self):
        from chengguan.cases.models import Case
        from chengguan.public.models import WebhookDelivery

        from .models import JobRun, WorkerHeartbeat

        now = timezone.now()
        open_cases = Case.objects.filter(is_open=True)
        yield _gauge("chengguan_cases_open", "Open cases", open_cases.count())
        yield _gauge("chengguan_cases_overdue", "Open cases past their deadline",
                     open_cases.filter(deadline__lt=now).count())
        yield _gauge("chengguan_sweeper_backlog", "Overdue open cases not yet urged by the sweeper",
                     open_cases.filter(deadline__lt=now, overdue_notified=False).count())
        by_status = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        queue = GaugeMetricFamily("chengguan_webhook_deliveries", "Webhook deliveries by status", labels=["status"])
        for status in WebhookDelivery.Status.values:
            queue.add_metric([status], by_status.get(status, 0))
        yield queue
        oldest = WebhookDelivery.objects.filter(
            status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING]
        ).aggregate(oldest=Min("created_at"))["oldest"]
        yield _gauge("chengguan_webhook_backlog_oldest_seconds", "Age of the oldest undelivered webhook (0: none)",
                     (now - oldest).total_seconds() if oldest else 0)
        beats = GaugeMetricFamily("chengguan_worker_heartbeat_timestamp_seconds",
                                  "Last heartbeat of each running worker (Unix time)", labels=["worker"])
        for worker, seen in WorkerHeartbeat.objects.filter(stopped_at__isnull=True).values_list("worker", "seen_at"):
            beats.add_metric([worker], seen.timestamp())
        yield beats
        newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        yield _gauge("chengguan_worker_last_heartbeat_age_seconds",
                     "Seconds since any worker last beat (-1: no worker ever ran)",
                     (now - newest).total_seconds() if newest else -1)
        last_ok = GaugeMetricFamily("chengguan_job_last_success_timestamp_seconds",
                                    "Due time of each job's last successful run (Unix time)", labels=["job"])
        for job, due in (JobRun.objects.filter(status=JobRun.Status.OK).values("job")
                         .annotate(due=Max("due_at")).values_list("job", "due")):
            last_ok.add_metric([job], due.timestamp())
        yield last_ok
        failed = GaugeMetricFamily("chengguan_job_failed_runs", "Failed runs of each job in the last 24 hours",
                                   labels=["job"])
        for job, n in (JobRun.objects.filter(status=JobRun.Status.FAILED, started_at__gte=now - _DAY)
                       .values_list("job").annotate(n=Count("pk")).values_list("job", "n")):
            failed.add_metric([job], n)
        yield failed


def _gauge(name, text, value):
    g = GaugeMetricFamily(name, text)
    g.add_metric([], value)
    return g


_DAY = timedelta(days=1)


@require_GET
def metrics(request):
    if not allowed(request):
        return HttpResponseForbidden("metrics: send the token (Authorization: Bearer ...) or ask from this machine\n",
                                     content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(DatabaseCollector())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response

