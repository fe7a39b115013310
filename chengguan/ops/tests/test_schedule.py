from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import modify_settings

from chengguan.ops.models import JobRun
from chengguan.ops.runner import Worker
from chengguan.ops.schedule import discover, parse_job
from chengguan.ops.tests.jobsapp import jobs as fake_jobs


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_an_every_seconds_job_is_due_at_the_last_multiple_and_next_at_the_following_one():
    job = parse_job({"name": "t", "run": "m:f", "every_seconds": 60}, "app")
    assert job.due_at(utc(2026, 12, 5, 10, 0, 59)) == utc(2026, 12, 5, 10, 0)
    assert job.due_at(utc(2026, 12, 5, 10, 1, 0)) == utc(2026, 12, 5, 10, 1)
    assert job.next_after(utc(2026, 12, 5, 10, 0, 59)) == utc(2026, 12, 5, 10, 1)


def test_a_daily_job_is_due_at_its_local_time(settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # 03:00 in Shanghai is 19:00 UTC the day before
    job = parse_job({"name": "n", "run": "m:f", "daily_at": "03:00"}, "app")
    assert job.due_at(utc(2026, 12, 5, 19, 0)) == utc(2026, 12, 5, 19, 0)
    assert job.due_at(utc(2026, 12, 5, 18, 59)) == utc(2026, 12, 4, 19, 0)
    assert job.next_after(utc(2026, 12, 5, 18, 59)) == utc(2026, 12, 5, 19, 0)
    assert job.next_after(utc(2026, 12, 5, 19, 0)) == utc(2026, 12, 6, 19, 0)


def test_a_monthly_job_on_day_31_runs_on_the_last_day_of_short_months(settings):
    settings.TIME_ZONE = "UTC"
    job = parse_job({"name": "m", "run": "m:f", "monthly_day": 31, "at": "02:00"}, "app")
    assert job.due_at(utc(2026, 11, 30, 2, 0)) == utc(2026, 11, 30, 2, 0)
    assert job.due_at(utc(2026, 11, 30, 1, 59)) == utc(2026, 10, 31, 2, 0)
    assert job.next_after(utc(2026, 11, 30, 2, 0)) == utc(2026, 12, 31, 2, 0)
    assert job.due_at(utc(2026, 1, 5)) == utc(2025, 12, 31, 2, 0)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"name": "x", "run": "nocolon", "every_seconds": 5}, "module:function"),
        ({"name": "x", "run": "m:f"}, "exactly one"),
        ({"name": "x", "run": "m:f", "every_seconds": 5, "daily_at": "01:00"}, "exactly one"),
        ({"name": "x", "run": "m:f", "daily_at": "25:00"}, "HH:MM"),
        ({"name": "x", "run": "m:f", "monthly_day": 32}, "1 to 31"),
        ({"name": "x", "run": "m:f", "every_seconds": 0}, ">= 1"),
        ({"name": "x", "run": "m:f", "every_secs": 5}, "unknown keys"),
    ],
)
def test_a_wrong_declaration_is_refused_with_a_readable_line(entry, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        parse_job(entry, "chengguan.someapp")


def test_the_platform_declares_the_tick_the_webhooks_and_the_nightly_check():
    names = {job.name: job for job in discover()}
    assert names["tick"].every_seconds == 60
    assert names["public.webhooks"].every_seconds == 10
    assert names["evaluation.facts_check"].at.strftime("%H:%M") == "03:30"
    assert names["evaluation.rollups"].at.strftime("%H:%M") == "03:45"  # the rollups' nightly refresh
    assert "backup" not in names  # only when CHENGGUAN_BACKUP_DIR is set


@modify_settings(INSTALLED_APPS={"append": "chengguan.ops.tests.jobsapp"})
def test_an_apps_jobs_py_is_picked_up_without_changing_the_runner():
    names = [job.name for job in discover()]
    assert {"jobsapp.count", "jobsapp.monthly", "jobsapp.broken", "tick"} <= set(names)


@pytest.mark.django_db
@modify_settings(INSTALLED_APPS={"append": "chengguan.ops.tests.jobsapp"})
def test_two_workers_run_a_due_time_once_and_a_failing_job_is_recorded_and_does_not_stop_the_others():
    fake_jobs.CALLS.clear()
    jobs = [j for j in discover() if j.app.endswith("jobsapp")]
    first, second = Worker(jobs, worker="a:1"), Worker(jobs, worker="b:2")
    now = utc(2026, 12, 5, 10, 0, 45)
    assert first.run_due(now) == [("jobsapp.count", "ran"), ("jobsapp.monthly", "ran"), ("jobsapp.broken", "failed")]
    assert second.run_due(now) == [("jobsapp.count", "taken"), ("jobsapp.monthly", "taken"), ("jobsapp.broken", "taken")]
    assert fake_jobs.CALLS == ["count", "count"]  # count + monthly, each once
    assert first.run_due(now) == []  # already seen: no query, no run
    # the next due time of the 30-second job is taken by whoever comes first
    assert second.run_due(utc(2026, 12, 5, 10, 1, 0)) == [("jobsapp.count", "ran")]
    runs = {(r.job, r.due_at): r for r in JobRun.objects.all()}
    assert runs[("jobsapp.count", utc(2026, 12, 5, 10, 0, 30))].worker == "a:1"
    assert runs[("jobsapp.count", utc(2026, 12, 5, 10, 1, 0))].worker == "b:2"
    broken = JobRun.objects.get(job="jobsapp.broken")
    assert broken.status == JobRun.Status.FAILED and "fails on purpose" in broken.output
    assert JobRun.objects.filter(status=JobRun.Status.OK).count() == 3


@pytest.mark.django_db
def test_healthz_reports_the_workers_last_heartbeat(client):
    assert client.get("/healthz").json()["worker"] is None
    Worker([], worker="host-a:42").beat()
    worker = client.get("/healthz").json()["worker"]
    assert worker["alive"] == 1 and worker["age_seconds"] < 5 and worker["last_heartbeat"]
