"""Fixed-window rate limits shared by every process: one counter row per scope, key and window.

The key is an HMAC of the IP address or phone number (the table never holds them in clear). Counting is an
atomic `UPDATE … SET count = count + 1`, so concurrent requests cannot both slip under the limit.
"""

import hashlib
import hmac
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
    count = _increment(scope, _key(f"{scope}:{value}"), start)
    if count > limit:
        retry = int((start + timedelta(seconds=seconds) - now).total_seconds()) + 1
        raise RateLimited(
            _("Too many requests; try again in %(n)d seconds.") % {"n": max(retry, 1)},
            retry_after=max(retry, 1),
            field=field,
        )
    return count


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
