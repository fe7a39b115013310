"""Volunteers and grid workers (网格员) report problems into the case loop through the citizen channel with their
account; a report earns points once per rewarded case action (the portal's PUBLIC_POINTS rules, e.g. 10 when the
case is filed). They see their own reports and points, never the case register or anyone's personal data."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.evidence import attachments_create
from chengguan.cases.models import Source
from chengguan.cases.services import case_report
from chengguan.cases.uploads import files_removed_on_error
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.scope import sees_everything
from chengguan.public import conf as public_conf

from .access import VOLUNTEER, require_role
from .models import VolunteerPoints, VolunteerReport

CHANNEL = "volunteer"
MAX_PHOTOS = 4


def volunteer_report(*, actor, matter, lng: float, lat: float, description: str, address: str = "", photos=(),
                     crs: str = "gcj02", at=None) -> VolunteerReport:
    require_role(actor, VOLUNTEER, message=_("Only volunteers and grid workers report here."))
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("At most %(max)s photos.") % {"max": MAX_PHOTOS}, field="photos")
    at = at or timezone.now()
    with files_removed_on_error(), transaction.atomic():
        stored = attachments_create(actor=actor, files=photos, at=at) if photos else []
        case = case_report(actor=None, source=Source.CITIZEN, matter=matter, lng=lng, lat=lat, crs=crs,
                           description=description, address=address, reporter_name=actor.full_name or actor.username,
                           photos=[a.pk for a in stored], channel_ref=CHANNEL, at=at)
        return VolunteerReport.objects.create(volunteer=actor, case=case, reported_at=at)


def points_award(*, case_id: int, action: str, at) -> VolunteerPoints | None:
    """Called for every case event: points for a volunteer's report, once per action."""
    points = public_conf.points_rules().get(action)
    if not points:
        return None
    report = VolunteerReport.objects.filter(case_id=case_id).first()
    if report is None:
        return None
    try:
        with transaction.atomic():
            return VolunteerPoints.objects.create(volunteer_id=report.volunteer_id, report=report, reason=action,
                                                  points=points, at=at)
    except IntegrityError:
        return None  # awarded before


def points_balance(user) -> int:
    return VolunteerPoints.objects.filter(volunteer=user).aggregate(s=Sum("points"))["s"] or 0


def points_adjust(*, actor, volunteer, points: int, reason: str, at=None) -> VolunteerPoints:
    """An administrator grants or redeems points (兑换); the balance may not go below zero."""
    if not sees_everything(actor):
        raise PermissionDenied(_("Only administrators adjust points."), field="points")
    reason = (reason or "").strip()
    if not points or not reason:
        raise ValidationError(_("Give a non-zero number of points and a reason."), field="points")
    with transaction.atomic():
        list(VolunteerPoints.objects.select_for_update().filter(volunteer=volunteer).values_list("pk", flat=True))
        if points_balance(volunteer) + points < 0:
            raise ValidationError(_("The balance may not go below zero."), field="points")
        return VolunteerPoints.objects.create(volunteer=volunteer, points=points, reason=reason[:100],
                                              at=at or timezone.now(), recorded_by=actor)
