"""Settings of the citizen portal, the hotline integration and Open311; each overridable in Django settings.

| setting | default | meaning |
|---|---|---|
| PUBLIC_SITE_URL | env CHENGGUAN_PUBLIC_SITE_URL or "" | absolute base URL used in SMS texts and webhooks |
| PUBLIC_RATE_LIMITS | see RATE_LIMITS below | `{scope: (max hits, window seconds)}` |
| PUBLIC_TRUSTED_PROXIES | env CHENGGUAN_TRUSTED_PROXIES or 0 | reverse proxies in front: the client IP is taken from X-Forwarded-For |
| PUBLIC_MAX_PHOTOS | 4 | photos per citizen report |
| PUBLIC_POINTS | {"file": 10} | points per valid report, keyed by the case action that earns them; {} disables |
| PUBLIC_MAP_DAYS | 90 | the public map shows problems reported in the last N days |
| OPEN311_JURISDICTION_ID | env CHENGGUAN_OPEN311_JURISDICTION_ID or "" | our jurisdiction; another non-empty value is a 404 |
| OPEN311_CONTACT / OPEN311_KEY_SERVICE | "" | discovery texts: who to contact, how to get an API key |
| OPEN311_PAGE_SIZE | 100 | default `page_size` of GET requests |
| OPEN311_PAGE_SIZE_MAX | 1000 | largest `page_size` of GET requests, and longest `service_request_id` list |
| OPEN311_UPDATES_PAGE_SIZE | 1000 | default and largest `page_size` of GET servicerequestupdates |
| OPEN311_TOKEN_HOURS | 72 | an address-only submission not placed within this many hours expires |
| WEBHOOK_TIMEOUT | 10 | seconds per delivery attempt |
| WEBHOOK_MAX_ATTEMPTS | 10 | attempts before a delivery is given up (`failed`) |
| WEBHOOK_BACKOFF_SECONDS | 30 | first retry delay; doubled per attempt |
| WEBHOOK_BACKOFF_MAX_SECONDS | 21600 | cap of the retry delay (6 h) |
| WEBHOOK_TOLERANCE_SECONDS | 300 | how old a signed timestamp a receiver should accept (documented, used by `verify_signature`) |
"""

import os

from django.conf import settings

RATE_LIMITS = {
    # citizen portal
    "report_ip": (20, 3600),
    "report_phone": (5, 3600),
    "report_phone_day": (20, 86400),
    "follow_ip": (30, 600),
    "rate_ip": (30, 3600),
    "address_ip": (120, 600),  # the report page's address search (as-you-type, ~20 a report)
    # one-time codes for "my reports": a code a minute and 10 a day per phone, 20 an hour per address;
    # 30 code checks per 10 minutes per address (and 5 wrong guesses spend a code)
    "code_phone": (1, 60),
    "code_phone_day": (10, 86400),
    "code_ip": (20, 3600),
    "code_check_ip": (30, 600),
    # integrations
    "open311_key": (600, 3600),
    "open311_ip": (60, 3600),
}


def _get(name, default):
    return getattr(settings, name, default)


def site_url() -> str:
    return _get("PUBLIC_SITE_URL", os.environ.get("CHENGGUAN_PUBLIC_SITE_URL", "")).rstrip("/")


def rate_limit(scope: str) -> tuple[int, int]:
    limits = {**RATE_LIMITS, **_get("PUBLIC_RATE_LIMITS", {})}
    return limits[scope]


def trusted_proxies() -> int:
    return int(_get("PUBLIC_TRUSTED_PROXIES", os.environ.get("CHENGGUAN_TRUSTED_PROXIES", 0)))


def max_photos() -> int:
    return int(_get("PUBLIC_MAX_PHOTOS", 4))


def points_rules() -> dict[str, int]:
    return dict(_get("PUBLIC_POINTS", {"file": 10}))


def map_days() -> int:
    return int(_get("PUBLIC_MAP_DAYS", 90))


def jurisdiction_id() -> str:
    return _get("OPEN311_JURISDICTION_ID", os.environ.get("CHENGGUAN_OPEN311_JURISDICTION_ID", ""))


def open311_contact() -> str:
    return _get("OPEN311_CONTACT", os.environ.get("CHENGGUAN_OPEN311_CONTACT", ""))


def open311_key_service() -> str:
    return _get("OPEN311_KEY_SERVICE", os.environ.get("CHENGGUAN_OPEN311_KEY_SERVICE", ""))


def open311_page_size() -> int:
    return min(int(_get("OPEN311_PAGE_SIZE", 100)), open311_page_size_max())


def open311_page_size_max() -> int:
    return int(_get("OPEN311_PAGE_SIZE_MAX", 1000))


def open311_updates_page_size() -> int:
    return int(_get("OPEN311_UPDATES_PAGE_SIZE", 1000))


def open311_token_hours() -> float:
    return float(_get("OPEN311_TOKEN_HOURS", 72))


def webhook_timeout() -> float:
    return float(_get("WEBHOOK_TIMEOUT", 10))


def webhook_max_attempts() -> int:
    return int(_get("WEBHOOK_MAX_ATTEMPTS", 10))


def webhook_backoff() -> tuple[int, int]:
    return int(_get("WEBHOOK_BACKOFF_SECONDS", 30)), int(_get("WEBHOOK_BACKOFF_MAX_SECONDS", 6 * 3600))


def webhook_tolerance() -> int:
    return int(_get("WEBHOOK_TOLERANCE_SECONDS", 300))
