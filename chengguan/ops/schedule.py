"""Jobs declared by the apps (`chengguan/<app>/jobs.py`, a plain `JOBS` list) and when each one is due.

    JOBS = [
        {"name": "cases.tick", "run": "chengguan.cases.tick:job", "every_seconds": 60},
        {"name": "x.nightly", "run": "chengguan.x.jobs_impl:nightly", "daily_at": "03:00"},
        {"name": "x.monthly", "run": "chengguan.x.reports:monthly", "monthly_day": 1, "at": "02:00"},
    ]

A job's due time is the latest scheduled instant not after now (daily and monthly times are local time,
settings.TIME_ZONE). Only that latest instant is run: a worker that was down for three days runs a nightly
job once when it comes back, not three times.
"""

from __future__ import annotations

import calendar
import importlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
KINDS = ("every_seconds", "daily_at", "monthly_day")


@dataclass(frozen=True)
class Job:
    name: str
    run: str  # "module:function"
    app: str
    every_seconds: int | None = None
    at: time | None = None  # daily_at, or the time of monthly_day
    monthly_day: int | None = None

    @property
    def schedule(self) -> str:
        if self.every_seconds:
            return f"every {self.every_seconds} s"
        if self.monthly_day:
            return f"monthly on day {self.monthly_day} at {self.at:%H:%M}"
        return f"daily at {self.at:%H:%M}"

    def function(self):
        module, _, attr = self.run.partition(":")
        return getattr(importlib.import_module(module), attr)

    def due_at(self, now: datetime) -> datetime:
        """The latest scheduled instant <= now (aware, UTC)."""
        now = now.astimezone(UTC)
        if self.every_seconds:
            epoch = int(now.timestamp())
            return datetime.fromtimestamp(epoch - epoch % self.every_seconds, tz=UTC)
        tz = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(tz)
        if self.monthly_day:
            year, month = local.year, local.month
            for _ in range(2):
                day = min(self.monthly_day, calendar.monthrange(year, month)[1])
                candidate = datetime.combine(local.date().replace(year=year, month=month, day=day), self.at, tz)
                if candidate <= local:
                    return candidate.astimezone(UTC)
                year, month = (year, month - 1) if month > 1 else (year - 1, 12)
            raise AssertionError("unreachable")
        candidate = datetime.combine(local.date(), self.at, tz)
        if candidate > local:
            candidate = datetime.combine(local.date() - timedelta(days=1), self.at, tz)
        return candidate.astimezone(UTC)

    def next_after(self, now: datetime) -> datetime:
        """The first scheduled instant after now (aware, UTC)."""
        if self.every_seconds:
            return self.due_at(now) + timedelta(seconds=self.every_seconds)
        tz = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(tz)
        year, month, day = local.year, local.month, local.day
        for _ in range(3):
            if self.monthly_day:
                day = min(self.monthly_day, calendar.monthrange(year, month)[1])
            candidate = datetime.combine(datetime(year, month, day).date(), self.at, tz)
            if candidate > local:
                return candidate.astimezone(UTC)
            if self.monthly_day:
                year, month = (year, month + 1) if month < 12 else (year + 1, 1)
            else:
                nxt = candidate.date() + timedelta(days=1)
                year, month, day = nxt.year, nxt.month, nxt.day
        raise AssertionError("unreachable")


def _parse_at(value, where: str) -> time:
    match = _HHMM.match(str(value))
    if not match:
        raise ImproperlyConfigured(f"{where}: the time must be HH:MM (00:00 to 23:59), not {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def parse_job(entry: dict, app: str) -> Job:
    where = f"{app}.jobs"
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"{where}: every entry of JOBS must be a dict, not {entry!r}")
    name, run = entry.get("name"), entry.get("run")
    if not name or not isinstance(name, str):
        raise ImproperlyConfigured(f"{where}: a job has no name: {entry!r}")
    where = f"{where} job {name!r}"
    if not isinstance(run, str) or ":" not in run:
        raise ImproperlyConfigured(f"{where}: run must be 'module:function', not {run!r}")
    unknown = set(entry) - {"name", "run", "at", *KINDS}
    if unknown:
        raise ImproperlyConfigured(f"{where}: unknown keys {sorted(unknown)}")
    kinds = [k for k in KINDS if entry.get(k) is not None]
    if len(kinds) != 1:
        raise ImproperlyConfigured(f"{where}: give exactly one of every_seconds, daily_at, monthly_day")
    kind = kinds[0]
    if kind == "every_seconds":
        seconds = entry["every_seconds"]
        if not isinstance(seconds, int) or seconds < 1:
            raise ImproperlyConfigured(f"{where}: every_seconds must be a whole number >= 1, not {seconds!r}")
        return Job(name, run, app, every_seconds=seconds)
    if kind == "daily_at":
        return Job(name, run, app, at=_parse_at(entry["daily_at"], where))
    day = entry["monthly_day"]
    if not isinstance(day, int) or not 1 <= day <= 31:
        raise ImproperlyConfigured(f"{where}: monthly_day must be 1 to 31, not {day!r}")
    return Job(name, run, app, monthly_day=day, at=_parse_at(entry.get("at", "00:00"), where))


def discover() -> list[Job]:
    """Every job declared by an installed app of ours, in app order; names must be unique."""
    jobs: list[Job] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chengguan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise
            continue
        for entry in getattr(module, "JOBS", []):
            jobs.append(parse_job(entry, config.name))
    seen: dict[str, str] = {}
    for job in jobs:
        if job.name in seen:
            raise ImproperlyConfigured(f"job {job.name!r} is declared twice ({seen[job.name]}, {job.app})")
        seen[job.name] = job.app
    return jobs
