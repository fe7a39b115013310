"""Fixed-window counters in the database: shared by every process, reset per window, keyed by a hash."""

from datetime import timedelta

import pytest
from django.test import RequestFactory

from chengguan.public.models import RateCounter
from chengguan.public.services.ratelimit import RateLimited, client_ip, hit, purge

from .conftest import T0


def test_it_counts_per_scope_and_value_within_a_window(db, settings):
    settings.PUBLIC_RATE_LIMITS = {"report_ip": (3, 600)}
    assert [hit("report_ip", "1.2.3.4", now=T0) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        hit("report_ip", "1.2.3.4", now=T0 + timedelta(seconds=30))
    assert 0 < refused.value.retry_after <= 600 and refused.value.status == 429
    assert hit("report_ip", "5.6.7.8", now=T0) == 1
    assert hit("report_phone", "1.2.3.4", now=T0) == 1  # another scope counts apart
    assert hit("report_ip", "1.2.3.4", now=T0 + timedelta(seconds=600)) == 1  # the next window


def test_it_ignores_an_empty_value(db):
    assert hit("report_ip", "", now=T0) == 0
    assert not RateCounter.objects.exists()


def test_it_purges_old_windows(db):
    hit("report_ip", "1.2.3.4", now=T0)
    hit("report_ip", "1.2.3.4", now=T0 + timedelta(days=3))
    assert purge(now=T0 + timedelta(days=3)) == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1", "10.0.0.1"),  # no proxy trusted: X-Forwarded-For is anyone's to forge
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # the proxy appended the real client
        (2, "203.0.113.9, 10.0.0.2", "10.0.0.1", "203.0.113.9"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_it_takes_the_client_ip_from_trusted_proxies_only(settings, proxies, forwarded, remote, expected):
    settings.PUBLIC_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
