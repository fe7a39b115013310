"""Sign-in throttling shared by every web process (docs/security.md, "Sign-in").

Three counters, each claimed *before* the password is checked with one conditional `UPDATE … SET count =
count + 1 WHERE count < limit` (atomic on PostgreSQL and SQLite), so however many attempts arrive at the same
moment, at most `limit` of them are checked per window and the rest are refused unchecked:

- `account_ip`: one username from one address (`LOGIN_FAILURE_LIMIT`, 5) — the guesser's own address is
  stopped, the owner signing in from anywhere else is not;
- `ip`: every username from one address (`LOGIN_IP_FAILURE_LIMIT`, 30) — password spraying;
- `account`: one username from every address (`LOGIN_ACCOUNT_FAILURE_LIMIT`, 100) — a guesser with many
  addresses; this one does stop the owner too, for the window.

Counters are keyed by an HMAC of the username as typed (lower-cased) and the address, whether the account
exists or not, so an unknown and a real account answer the same. A success clears its `account_ip` and
`account` counters and gives back its `ip` claim. Windows start at the first attempt and last
`LOGIN_LOCK_MINUTES` (15).
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import LoginThrottle


def limits() -> list[tuple[str, int]]:
    return [
        ("ip", settings.LOGIN_IP_FAILURE_LIMIT),
        ("account_ip", settings.LOGIN_FAILURE_LIMIT),
        ("account", settings.LOGIN_ACCOUNT_FAILURE_LIMIT),
    ]


def window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def _key(scope: str, username: str, ip: str) -> str:
    value = {"ip": ip, "account_ip": f"{username.lower()}\n{ip}", "account": username.lower()}[scope]
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _claim_one(scope: str, key: str, limit: int, now):
    """Count one attempt; None when it may go ahead, else the time the window ends."""
    rows = LoginThrottle.objects.filter(scope=scope, key=key)
    for _attempt in range(10):
        with transaction.atomic():
            if rows.filter(window_start__gt=now - window(), count__lt=limit).update(count=F("count") + 1):
                return None
            if rows.filter(window_start__lte=now - window()).update(count=1, window_start=now):
                return None
            row = rows.first()
            if row is not None:
                if row.window_start > now - window() and row.count >= limit:
                    return row.window_start + window()
                # The row was created (or a claim given back, or its window ended) between our statements: a
                # slot may be free, so claim again rather than refuse an attempt the limit still allows.
                continue
            try:
                with transaction.atomic():
                    LoginThrottle.objects.create(scope=scope, key=key, window_start=now, count=1)
                return None
            except IntegrityError:  # a concurrent first attempt created it
                continue
    return now + window()


def _give_back(scope: str, key: str) -> None:
    LoginThrottle.objects.filter(scope=scope, key=key, count__gt=0).update(count=F("count") - 1)


def claim(username: str, ip: str, now):
    """Claim one attempt in every scope; None when the password may be checked, else when to try again."""
    claimed = []
    for scope, limit in limits():
        key = _key(scope, username, ip)
        until = _claim_one(scope, key, limit, now)
        if until is not None:
            for done in claimed:
                _give_back(scope=done[0], key=done[1])
            return until
        claimed.append((scope, key))
    return None


def succeeded(username: str, ip: str) -> None:
    """The password was right: forget this account's failures and give back the address's claim."""
    LoginThrottle.objects.filter(
        scope__in=["account_ip", "account"],
        key__in=[_key("account_ip", username, ip), _key("account", username, ip)],
    ).delete()
    _give_back("ip", _key("ip", username, ip))


def clear_account(username: str) -> None:
    """An administrator unlocked the account: drop its account-wide counter (the per-address ones expire)."""
    LoginThrottle.objects.filter(scope="account", key=_key("account", username, "")).delete()


def purge(now=None) -> int:
    """Drop counters of windows long past (a daily job, chengguan/org/jobs.py)."""
    from django.utils import timezone

    now = now or timezone.now()
    deleted, _ = LoginThrottle.objects.filter(window_start__lt=now - window() - timedelta(days=1)).delete()
    return deleted


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies saw (same rule as the citizen portal's rate limits)."""
    import os

    if request is None:
        return "unknown"
    proxies = int(getattr(settings, "PUBLIC_TRUSTED_PROXIES", os.environ.get("CHENGGUAN_TRUSTED_PROXIES", 0)))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
