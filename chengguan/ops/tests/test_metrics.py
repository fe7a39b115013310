from datetime import timedelta

import pytest
from django.utils import timezone

from chengguan.ops.models import JobRun
from chengguan.ops.runner import Worker

pytestmark = pytest.mark.django_db


def scrape(client, **extra):
    return client.get("/metrics", REMOTE_ADDR=extra.pop("addr", "127.0.0.1"), **extra)


def test_metrics_from_this_machine_report_requests_queues_and_workers(client):
    client.get("/healthz")
    Worker([], worker="host-a:42").beat()
    now = timezone.now()
    JobRun.objects.create(job="tick", due_at=now - timedelta(minutes=1), worker="w", started_at=now,
                          status=JobRun.Status.OK)
    JobRun.objects.create(job="tick2", due_at=now, worker="w", started_at=now, status=JobRun.Status.FAILED)
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert 'chengguan_http_requests_total{method="GET",status="200",view="healthz"}' in text
    assert 'chengguan_http_request_duration_seconds_bucket{le="0.01",view="healthz"}' in text
    for name in ("chengguan_cases_open 0.0", "chengguan_cases_overdue 0.0", "chengguan_sweeper_backlog 0.0",
                 'chengguan_webhook_deliveries{status="pending"} 0.0', "chengguan_webhook_backlog_oldest_seconds 0.0",
                 'chengguan_worker_heartbeat_timestamp_seconds{worker="host-a:42"}',
                 'chengguan_job_last_success_timestamp_seconds{job="tick"}', 'chengguan_job_failed_runs{job="tick2"} 1.0'):
        assert name in text, name


def test_overdue_cases_and_the_sweepers_backlog_are_counted(client, city):
    from chengguan.cases.models import Case
    from chengguan.cases.testing import report
    from chengguan.catalog.models import MatterType
    from chengguan.grids.testing import make_grids

    make_grids(city)
    garbage = MatterType.objects.get(code="06010")
    cases = [report(city, garbage) for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases[:2]]).update(deadline=timezone.now() - timedelta(hours=1))
    Case.objects.filter(pk=cases[0].pk).update(overdue_notified=True)
    text = scrape(client).content.decode()
    assert "chengguan_cases_open 3.0" in text
    assert "chengguan_cases_overdue 2.0" in text
    assert "chengguan_sweeper_backlog 1.0" in text


@pytest.mark.parametrize(
    ("addr", "headers", "token", "status"),
    [
        ("10.1.2.3", {}, "", 403),  # an outsider, no token configured
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "", 403),  # relayed by a local proxy
        ("127.0.0.1", {"HTTP_X_REAL_IP": "203.0.113.9"}, "", 403),
        ("::1", {}, "", 200),  # this machine
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer s3cret-token"}, "s3cret-token", 200),
        ("10.1.2.3", {"HTTP_AUTHORIZATION": "Bearer wrong"}, "s3cret-token", 403),
        ("127.0.0.1", {}, "s3cret-token", 403),  # once a token is set, it is always needed
    ],
)
def test_only_this_machine_or_the_token_holder_may_read_metrics(client, monkeypatch, addr, headers, token, status):
    if token:
        monkeypatch.setenv("CHENGGUAN_METRICS_TOKEN", token)
    else:
        monkeypatch.delenv("CHENGGUAN_METRICS_TOKEN", raising=False)
    response = scrape(client, addr=addr, **headers)
    assert response.status_code == status
    assert (b"chengguan_cases_open" in response.content) == (status == 200)
