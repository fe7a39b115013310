"""The citizen portal's state changes: a report, a satisfaction rating (回访), points for valid reports."""

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.evidence import attachments_create
from chengguan.cases.models import Case, Source
from chengguan.cases.services import case_report
from chengguan.cases.services.intake import PHONE_RE
from chengguan.cases.uploads import files_removed_on_error
from chengguan.cases.workflow import State
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything

from .. import conf
from ..models import PointsEntry, Satisfaction
from .ratelimit import hit


def normalize_phone(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone or "")


def same_phone(a: str, b: str) -> bool:
    a, b = normalize_phone(a), normalize_phone(b)
    return bool(a) and a.lstrip("+").removeprefix("86")[-11:] == b.lstrip("+").removeprefix("86")[-11:]


def citizen_report(
    *,
    matter,
    lng: float,
    lat: float,
    crs: str,
    description: str,
    phone: str,
    name: str = "",
    address: str = "",
    photos=(),
    ip: str = "",
    at: datetime | None = None,
) -> Case:
    """A report from the portal. Rate-limited per IP and per phone before anything is stored; the photos are
    checked by the cases app (real image type, size) and kept with the case."""
    at = at or timezone.now()
    phone = normalize_phone(phone)
    if not phone or not PHONE_RE.match(phone):
        raise ValidationError(_("Give a phone number: you need it to follow the case."), field="phone")
    photos = list(photos or ())
    if len(photos) > conf.max_photos():
        raise ValidationError(
            _("At most %(n)d photos.") % {"n": conf.max_photos()}, field="photos", code="too_many"
        )
    hit("report_ip", ip, now=at, field="phone")
    hit("report_phone", phone, now=at, field="phone")
    hit("report_phone_day", phone, now=at, field="phone")
    with files_removed_on_error(), transaction.atomic():
        ids = [a.pk for a in attachments_create(actor=None, files=photos, kind="before", at=at)]
        return case_report(
            actor=None,
            source=Source.CITIZEN,
            matter=matter,
            lng=lng,
            lat=lat,
            crs=crs,
            description=description,
            address=address,
            reporter_name=(name or "").strip(),
            reporter_phone=phone,
            photos=ids,
            channel_ref="web",
            at=at,
        )


RATEABLE_STATES = frozenset({State.CLOSED})


def satisfaction_record(
    *, actor, case: Case, score: str, comment: str = "", at: datetime | None = None
) -> Satisfaction:
    """The reporter rates a closed case once: on the portal (`actor=None`, after proving number + phone) or
    an operator / shift leader records the answer of a call-back."""
    if score not in Satisfaction.Score.values:
        raise ValidationError(_("Choose satisfied, basically satisfied or unsatisfied."), field="score")
    channel = Satisfaction.Channel.WEB
    if actor is not None:
        if not (sees_everything(actor) or has_role(actor, Role.OPERATOR, Role.SHIFT_LEADER)):
            raise PermissionDenied("Only operators and shift leaders record call-backs.", field="score")
        channel = Satisfaction.Channel.CALLBACK
    at = at or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state not in RATEABLE_STATES:
            raise Conflict("Only a closed case can be rated.", field="score", code="not_closed")
        try:
            with transaction.atomic():
                return Satisfaction.objects.create(
                    case=locked,
                    score=score,
                    comment=(comment or "").strip()[:500],
                    channel=channel,
                    recorded_by=actor,
                    rated_at=at,
                )
        except IntegrityError:
            raise Conflict("This case has been rated already.", field="score", code="already_rated") from None


def points_award(*, case: Case, reason: str, at: datetime | None = None) -> PointsEntry | None:
    """Reward the reporter of a citizen case for `reason` (a case action, see PUBLIC_POINTS), once."""
    points = conf.points_rules().get(reason)
    phone = normalize_phone(case.reporter_phone)
    if not points or case.source != Source.CITIZEN or not phone:
        return None
    try:
        with transaction.atomic():
            return PointsEntry.objects.create(
                phone=phone, case=case, reason=reason, points=points, at=at or timezone.now()
            )
    except IntegrityError:
        return None  # awarded before


def points_adjust(*, actor, phone: str, points: int, reason: str, at: datetime | None = None) -> PointsEntry:
    """An administrator redeems (negative) or grants points by hand; the balance may not go below zero."""
    if not sees_everything(actor):
        raise PermissionDenied("Only administrators adjust points.", field="points")
    phone = normalize_phone(phone)
    reason = (reason or "").strip()
    if not phone or not reason or not points:
        raise ValidationError("Give the phone, a non-zero number of points and a reason.", field="points")
    with transaction.atomic():
        # serialise adjustments of one phone: lock its rows
        list(PointsEntry.objects.select_for_update().filter(phone=phone).values_list("pk", flat=True))
        if points_balance(phone) + points < 0:
            raise Conflict("Not enough points.", field="points", code="insufficient_points")
        return PointsEntry.objects.create(
            phone=phone, reason=reason[:40], points=points, at=at or timezone.now(), recorded_by=actor
        )


def points_balance(phone: str) -> int:
    return (
        PointsEntry.objects.filter(phone=normalize_phone(phone)).aggregate(total=Sum("points"))["total"] or 0
    )
