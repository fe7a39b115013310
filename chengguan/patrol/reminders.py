"""Certificates that expire within 30 days reach their holder and the managers before they lapse: an officer with
an expired certificate may not perform enforcement acts. Run by the worker (jobs.py), daily."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.notify import remind
from chengguan.org.models import OfficerCertificate, RoleAssignment

from .access import MANAGERS

DAYS_AHEAD = 30


def run(now=None) -> int:
    """The job (no arguments): reminders in the site's language, whatever the worker's thread had active."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _run(now)


def _run(now=None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    expiring = OfficerCertificate.objects.filter(valid_to__range=(today, today + timedelta(days=DAYS_AHEAD)))
    managers = set(RoleAssignment.objects.filter(role__in=[str(r) for r in MANAGERS]).values_list("user_id", flat=True))
    told = 0
    for cert in expiring.select_related("user"):
        values = {"number": cert.number, "name": cert.user, "date": cert.valid_to.strftime("%Y-%m-%d")}
        key = f"certificate:{cert.pk}:{cert.valid_to.isoformat()}"
        told += remind(key=key, user_ids=[cert.user_id], at=now, link=reverse("patrol:index"),
                       text=_("Your certificate %(number)s expires on %(date)s: apply to the issuer for a new one "
                              "before then.") % values)  # fmt: skip
        told += remind(key=key + ":managers", user_ids=managers - {cert.user_id}, at=now,
                       link=reverse("patrol:certificates") + f"?within={DAYS_AHEAD}",
                       text=_("The certificate %(number)s of %(name)s expires on %(date)s: see that it is "
                              "renewed, or plan the rosters without them.") % values)  # fmt: skip
    return told
