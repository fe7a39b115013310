"""交流轮岗: officers who have served in the same post for the rotation term are due to rotate.

Years in post count from the person's last rotation (RotationRecord.effective_on) or, without one, from their
hiring date (StaffProfile.hired_on). Due at ROTATION_YEARS (5, the usual term for enforcement posts); listed as
"due soon" from WARN_DAYS (90) before. The job reminds the person and the leaders of their region once per due
date; the page lists who is due.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.org.models import Role, RoleAssignment
from chengguan.org.scope import scope_q
from chengguan.patrol.models import Body, RotationRecord, StaffProfile

from .access import READERS

ROTATION_YEARS = 5
WARN_DAYS = 90
BODIES = (Body.OFFICER,)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class RotationDue:
    profile: StaffProfile
    since: date
    due_on: date
    today: date

    @property
    def years(self) -> float:
        return round((self.today - self.since).days / 365.25, 1)

    @property
    def overdue(self) -> bool:
        return self.due_on <= self.today


def rotation_due(profiles, today: date, *, warn_days: int = WARN_DAYS) -> list[RotationDue]:
    profiles = [p for p in profiles if p.is_active_on(today) and p.body in BODIES]
    last = {}
    for uid, day in RotationRecord.objects.filter(user_id__in=[p.user_id for p in profiles]).order_by(
            "effective_on").values_list("user_id", "effective_on"):
        last[uid] = day
    out = []
    for p in profiles:
        since = last.get(p.user_id) or p.hired_on
        if since is None:
            continue
        due = _add_years(since, ROTATION_YEARS)
        if due <= today + timedelta(days=warn_days):
            out.append(RotationDue(p, since, due, today))
    return sorted(out, key=lambda r: r.due_on)


def rotation_due_for(viewer, today: date):
    profiles = StaffProfile.objects.filter(scope_q(viewer, region_field="region", roles=READERS)).select_related(
        "user", "region", "department")
    return rotation_due(profiles, today)


def run(now=None) -> int:
    """The job: remind each person due for rotation and the leaders of their region, once per due date."""
    from django.conf import settings
    from django.utils import translation

    from chengguan.cases.notify import remind

    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        leaders = list(RoleAssignment.objects.filter(role=Role.LEADER, region__isnull=False).select_related("region"))
        profiles = StaffProfile.objects.select_related("user", "region")
        for r in rotation_due(profiles, today):
            values = {"name": r.profile.user, "years": r.years, "date": r.due_on.isoformat()}
            ids = {a.user_id for a in leaders if r.profile.region.path.startswith(a.region.path)}
            told += remind(key=f"rotation:{r.profile.user_id}:{r.due_on.isoformat()}", at=now,
                           link=reverse("oversight:rotation"), user_ids=ids,
                           text=_("%(name)s has served %(years)s years in the same post; rotation is due on "
                                  "%(date)s (交流轮岗).") % values)
            told += remind(key=f"rotation-self:{r.profile.user_id}:{r.due_on.isoformat()}", at=now,
                           link=reverse("oversight:officer_file", args=[r.profile.user_id]),
                           user_ids=[r.profile.user_id],
                           text=_("You have served %(years)s years in the same post; your rotation is due on "
                                  "%(date)s.") % values)
    return told
