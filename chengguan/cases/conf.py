"""Settings of the case loop, each overridable in Django settings (and so by the CHENGGUAN_* environment).

| setting | default | meaning |
|---|---|---|
| CASES_NUMBER_PREFIX | env CHENGGUAN_CASE_NUMBER_PREFIX or "KF" | case numbers look like KF2026-000123 |
| CASES_DUPLICATE_METERS | 50 | open cases of the same matter this close are offered for merging |
| CASES_DUPLICATE_HOURS | 72 | ... if reported within this many hours |
| CASES_PHOTO_MAX_BYTES | 10 MiB | upload size limit for photos |
| CASES_ESCALATE_FACTOR | 2.0 | an open step is escalated (督办) after this multiple of its time limit |
| CASES_BACKDATE_GRACE_HOURS | 24 | a report time this far in the past is anyone's (an offline phone) |
| CASES_BACKDATE_ROLES | [] | roles (integration accounts) that may send older report times, up to ... |
| CASES_BACKDATE_MAX_DAYS | 31 | ... this many days back (imports are not limited) |
| CASES_UNATTACHED_MAX / CASES_UNATTACHED_HOURS | 20 / 24 | uploaded photos a user may hold unattached / their expiry (cases/uploads.py) |
| CASES_NOTIFICATION_CHANNELS | ["chengguan.cases.channels.LoggingChannel"] | where notices go besides the inbox |
| CASES_SMS_GATEWAY_URL / CASES_WECHAT_GATEWAY_URL | "" | HTTP gateways of the SMS / WeChat channels |
"""

import os

from django.conf import settings


def _get(name, default):
    return getattr(settings, name, default)


def number_prefix() -> str:
    return _get("CASES_NUMBER_PREFIX", os.environ.get("CHENGGUAN_CASE_NUMBER_PREFIX", "KF"))


def duplicate_meters() -> float:
    return float(_get("CASES_DUPLICATE_METERS", os.environ.get("CHENGGUAN_CASE_DUPLICATE_METERS", 50)))


def duplicate_hours() -> float:
    return float(_get("CASES_DUPLICATE_HOURS", os.environ.get("CHENGGUAN_CASE_DUPLICATE_HOURS", 72)))


def photo_max_bytes() -> int:
    return int(_get("CASES_PHOTO_MAX_BYTES", os.environ.get("CHENGGUAN_PHOTO_MAX_BYTES", 10 * 1024 * 1024)))


def escalate_factor() -> float:
    return float(_get("CASES_ESCALATE_FACTOR", os.environ.get("CHENGGUAN_CASE_ESCALATE_FACTOR", 2.0)))


def notification_channels() -> list[str]:
    default = os.environ.get("CHENGGUAN_NOTIFICATION_CHANNELS", "chengguan.cases.channels.LoggingChannel")
    value = _get("CASES_NOTIFICATION_CHANNELS", None)
    if value is None:
        value = [v.strip() for v in default.split(",") if v.strip()]
    return list(value)


def sms_gateway_url() -> str:
    return _get("CASES_SMS_GATEWAY_URL", os.environ.get("CHENGGUAN_SMS_GATEWAY_URL", ""))


def wechat_gateway_url() -> str:
    return _get("CASES_WECHAT_GATEWAY_URL", os.environ.get("CHENGGUAN_WECHAT_GATEWAY_URL", ""))


def backdate_grace_hours() -> float:
    return float(_get("CASES_BACKDATE_GRACE_HOURS", os.environ.get("CHENGGUAN_CASE_BACKDATE_GRACE_HOURS", 24)))


def backdate_roles() -> list[str]:
    raw = _get("CASES_BACKDATE_ROLES", os.environ.get("CHENGGUAN_CASE_BACKDATE_ROLES", ""))
    return [r.strip() for r in raw.split(",") if r.strip()] if isinstance(raw, str) else list(raw)


def backdate_max_days() -> float:
    return float(_get("CASES_BACKDATE_MAX_DAYS", os.environ.get("CHENGGUAN_CASE_BACKDATE_MAX_DAYS", 31)))
