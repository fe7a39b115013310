"""The citizen's side of a case after the report: status messages, "我的上报" behind a one-time SMS code, and
"还没修好" (still not fixed), which reopens a recently closed case as a new linked report."""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chengguan.cases.channels import Message, deliver
from chengguan.cases.models import Case, Source
from chengguan.cases.services import case_report
from chengguan.cases.workflow import State
from chengguan.core.errors import PermissionDenied, ValidationError

from ..models import PhoneCode, Reopening
from .citizen import normalize_phone, same_phone
from .ratelimit import hit

MOBILE_RE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
REOPEN_DAYS = 7
# The status changes a citizen is told about (受理、立案、处置完成); 结案 sends the rating invitation instead.
STATUS_TEXTS = {
    "accept": gettext_noop("Your report %(number)s has been accepted."),
    "file": gettext_noop(
        "Your report %(number)s has been filed as a case and will be dispatched for handling."
    ),
    "reply": gettext_noop(
        "Your report %(number)s: the department reports it handled; an on-site check follows."
    ),
}


def _hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def phone_key(phone: str) -> str:
    return _hash("phone:" + normalize_phone(phone).lstrip("+").removeprefix("86")[-11:])


# ---- status messages ----------------------------------------------------------------------------------------


def status_message_text(action: str, number: str) -> str | None:
    template = STATUS_TEXTS.get(action)
    if template is None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        return _(template) % {"number": number}


def status_message_send(*, event, now: datetime) -> bool:
    """Tell the reporter of a citizen or hotline case that it moved on (after the event committed)."""
    case = event.case
    if now - event.at > timedelta(days=1):
        return False  # a replayed or imported history: nobody is told about it again
    if case.source not in (Source.CITIZEN, Source.HOTLINE) or not case.reporter_phone:
        return False
    text = status_message_text(event.action, case.number)
    if text is None:
        return False
    deliver([Message("case_status", text, case.number, None, case.reporter_phone)])
    return True


# ---- one-time codes and "my reports" ------------------------------------------------------------------------


def cases_of_phone(phone: str):
    """The citizen and hotline reports made with this phone, newest first (never another phone's)."""
    digits = normalize_phone(phone).lstrip("+").removeprefix("86")[-11:]
    if len(digits) < 7:
        return []
    rows = (
        Case.objects.filter(reporter_phone__endswith=digits, source__in=(Source.CITIZEN, Source.HOTLINE))
        .select_related("matter", "community")
        .order_by("-reported_at")[:100]
    )
    return [c for c in rows if same_phone(c.reporter_phone, phone)]


def code_request(*, phone: str, ip: str, now: datetime | None = None) -> None:
    """Send a 6-digit code to `phone` if it reported anything (the answer on the page is the same either way).
    Limits: one code a minute and 10 a day per phone, 20 an hour per address."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    if not MOBILE_RE.match(phone):  # a code goes by SMS: a mobile number, not any phone the intake takes
        raise ValidationError(_("Give the mobile number you reported with."), field="phone")
    hit("code_ip", ip, now=now, field="phone")
    hit("code_phone", phone, now=now, field="phone")
    hit("code_phone_day", phone, now=now, field="phone")
    if not cases_of_phone(phone):
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    PhoneCode.objects.create(
        phone_key=phone_key(phone),
        code_hash=_hash("code:" + code),
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your code for My reports is %(code)s (valid for %(minutes)s minutes). Do not share it.") % {
            "code": code,
            "minutes": int(CODE_TTL.total_seconds() // 60),
        }
    transaction.on_commit(lambda: deliver([Message("login_code", text, "", None, phone)]))


def code_verify(*, phone: str, code: str, now: datetime | None = None) -> bool:
    """True once for the latest unexpired code of the phone; wrong guesses count, 5 spend the code."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_key=phone_key(phone), used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.attempts >= CODE_MAX_ATTEMPTS:
            return False
        if not hmac.compare_digest(row.code_hash, _hash("code:" + (code or "").strip())):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            return False
        row.used_at = now
        row.save(update_fields=["used_at"])
        return True


def codes_purge(*, now: datetime) -> int:
    deleted, _n = PhoneCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return deleted


# ---- still not fixed ----------------------------------------------------------------------------------------


def reopen_deadline(case) -> datetime | None:
    return case.closed_at + timedelta(days=REOPEN_DAYS) if case.closed_at else None


def can_reopen(case, now: datetime) -> bool:
    return (
        case.state == State.CLOSED
        and case.source in (Source.CITIZEN, Source.HOTLINE)
        and case.closed_at is not None
        and now <= reopen_deadline(case)
        and not Reopening.objects.filter(original=case).exists()
    )


def case_reopen(*, case: Case, phone: str, description: str, ip: str, now: datetime | None = None) -> Case:
    """ "还没修好": a new citizen report of the same problem at the same place, linked to the closed case.
    Only the reporter (proved by phone), within 7 days of closing, once per case."""
    now = now or timezone.now()
    if not same_phone(case.reporter_phone, phone):
        raise PermissionDenied(_("Only the reporter may say the problem is not fixed."), field="phone")
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Say what is still wrong."), field="description")
    if case.state != State.CLOSED or case.closed_at is None:
        raise ValidationError(_("Only a closed case can be reported as not fixed."), field="case")
    if now > reopen_deadline(case):
        raise ValidationError(
            _("A case can be reported as not fixed within %(days)s days of closing; please report it anew.")
            % {"days": REOPEN_DAYS},
            field="case",
        )
    hit("report_ip", ip, now=now, field="description")
    hit("report_phone", phone, now=now, field="description")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if Reopening.objects.filter(original=locked).exists():
            raise ValidationError(_("This case was already reported as not fixed."), field="case")
        new = case_report(
            actor=None,
            source=Source.CITIZEN,
            matter=case.matter,
            lng=case.lng,
            lat=case.lat,
            crs="gcj02",
            description=_("Still not fixed (case %(number)s): %(text)s")
            % {"number": case.number, "text": description},
            address=case.address,
            reporter_name=case.reporter_name,
            reporter_phone=case.reporter_phone,
            channel_ref="web",
            at=now,
        )
        Reopening.objects.create(original=locked, new_case=new, at=now)
    return new
