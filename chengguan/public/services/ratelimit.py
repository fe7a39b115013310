"""Fixed-window rate limits shared by every process: one counter row per scope, key and window.

The key is an HMAC of the IP address or phone number (the table never holds them in clear). Counting is an
atomic `UPDATE … SET count = count + 1`, so concurrent requests cannot both slip under the limit.

`hit` counts before the caller's work. A `Window` lets a caller count inside its own transaction instead, with
its last write (`Window.upsert`, one statement: a CTE beside that write on PostgreSQL): a hit over the limit is then
rolled back with the work, and the process remembers the window as full, so that its later hits are refused at
once, without the database, as `hit` would refuse them (Open311 POST requests).
"""

import functools
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError

from .. import conf
from ..models import RateCounter


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = retry_after


def _key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _increment(scope: str, key: str, start: datetime) -> int:
    """One statement when the window's row exists (UPDATE … RETURNING: PostgreSQL, SQLite ≥ 3.35)."""
    table, qn = RateCounter._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(table)} SET {qn('count')} = {qn('count')} + 1 "
            f"WHERE {qn('scope')} = %s AND {qn('key')} = %s AND {qn('window_start')} = %s RETURNING {qn('count')}",
            [scope, key, connection.ops.adapt_datetimefield_value(start)],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    rows = RateCounter.objects.filter(scope=scope, key=key, window_start=start)
    try:
        with transaction.atomic():
            RateCounter.objects.create(scope=scope, key=key, window_start=start, count=1)
        return 1
    except IntegrityError:  # a concurrent first hit created the row
        with transaction.atomic():
            rows.update(count=F("count") + 1)
            return rows.values_list("count", flat=True).get()


def hit(scope: str, value: str, *, now: datetime | None = None, field: str | None = None) -> int:
    """Count one hit of `value` (an IP, a phone, a key id) in `scope`; over the limit raises `RateLimited`."""
    if not value:
        return 0
    limit, seconds = conf.rate_limit(scope)
    now = now or timezone.now()
    start = _window(now, seconds)
    key = _key(f"{scope}:{value}")
    count = _increment(scope, key, start)
    if count > limit:
        raise Window(scope, key, start, limit, seconds, field).refused(now)
    return count


@dataclass(frozen=True)
class Window:
    """The counter of one value in one scope at one time, counted by the caller (`upsert`, `check`)."""

    scope: str
    key: str
    start: datetime
    limit: int
    seconds: int
    field: str | None = None

    def refused(self, now: datetime) -> RateLimited:
        retry = max(int((self.start + timedelta(seconds=self.seconds) - now).total_seconds()) + 1, 1)
        return RateLimited(
            _("Too many requests; try again in %(n)d seconds.") % {"n": retry},
            retry_after=retry,
            field=self.field,
        )

    def upsert(self) -> tuple[str, list]:
        """`INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`: the window's hits, this one
        included (PostgreSQL; SQLite ≥ 3.35)."""
        return _upsert_sql(connection.vendor), [
            self.scope, self.key, connection.ops.adapt_datetimefield_value(self.start)
        ]  # fmt: skip

    def check(self, count: int, now: datetime) -> int:
        """`count` hits in the window: over the limit, the window is remembered as full and `RateLimited` raised."""
        if count > self.limit:
            if len(_full) >= 1_000:
                _full.clear()
            _full[(self.scope, self.key, self.start, self.limit)] = True
            raise self.refused(now)
        return count

    def count(self, now: datetime) -> int:
        """Count one hit now, in a statement of its own (`upsert`), and `check` it."""
        sql, params = self.upsert()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return self.check(cursor.fetchone()[0], now)


@functools.cache
def _upsert_sql(vendor: str) -> str:
    qn = connection.ops.quote_name
    table = qn(RateCounter._meta.db_table)
    columns = f"{qn('scope')}, {qn('key')}, {qn('window_start')}"
    return (
        f"INSERT INTO {table} ({columns}, {qn('count')}) VALUES (%s, %s, %s, 1) ON CONFLICT ({columns}) "
        f"DO UPDATE SET {qn('count')} = {table}.{qn('count')} + 1 RETURNING {qn('count')}"
    )


_full: dict = {}  # (scope, key, window start, limit) of the windows this process saw over their limit
forget_full = _full.clear


def window(scope: str, value: str, *, now: datetime, field: str | None = None) -> Window:
    """The window of `value` in `scope` at `now`, to be counted by the caller; a window this process saw full
    is refused at once (`RateLimited`)."""
    limit, seconds = conf.rate_limit(scope)
    start = _window(now, seconds)
    found = Window(scope, _key(f"{scope}:{value}"), start, limit, seconds, field)
    if (scope, found.key, start, limit) in _full:
        raise found.refused(now)
    return found


def purge(*, now: datetime, older_than: timedelta = timedelta(days=2)) -> int:
    """Drop counters of windows long past (run by `chengguan tick`)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=now - older_than).delete()
    return deleted


def client_ip(request) -> str:
    """The caller's IP: REMOTE_ADDR, or the address the trusted proxies saw (X-Forwarded-For)."""
    proxies = conf.trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
