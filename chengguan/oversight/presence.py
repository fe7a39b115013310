"""见警率 and 管事率 of the joint squads, from their duty rosters and the patrol tracks.

For each on-duty assignment (DutyAssignment, status on duty) of a squad's shift in the period:
- **见警率** (visible presence) = the time the person was seen patrolling during the shift ÷ the rostered time.
  "Seen" is the time between two consecutive GPS points of their track inside the shift that are at most the
  region's track gap apart (Norm.track_gap_minutes, default 10 min), as for patrol hours;
- **管事率** (handling) = shifts in which somebody on duty *did* something on record during the shift — reported a
  case, registered or acted on an enforcement case, inspected a shop, recorded a small ad — ÷ shifts worked.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from chengguan.cases.models import Case
from chengguan.enforcement.models import CaseEvent
from chengguan.evaluation.periods import Period, day_start
from chengguan.org.scope import scope_q
from chengguan.patrol.models import AdSighting, DutyAssignment, JointSquad, ShopInspection, TrackPoint
from chengguan.patrol.selectors.norms import norm_for

from .access import READERS


@dataclass
class SquadPresence:
    squad: JointSquad
    shifts: int = 0
    shifts_handled: int = 0
    rostered_s: float = 0.0
    seen_s: float = 0.0
    people: int = 0
    acts: int = 0

    @property
    def presence_rate(self):
        return round(100 * self.seen_s / self.rostered_s, 1) if self.rostered_s else None

    @property
    def handling_rate(self):
        return round(100 * self.shifts_handled / self.shifts, 1) if self.shifts else None

    @property
    def rostered_hours(self):
        return round(self.rostered_s / 3600, 1)

    @property
    def seen_hours(self):
        return round(self.seen_s / 3600, 1)


def _seen_seconds(times: list, start, end, gap: timedelta) -> float:
    inside = [t for t in times if start <= t <= end]
    return sum((b - a).total_seconds() for a, b in zip(inside, inside[1:], strict=False) if b - a <= gap)


def _acts_by_user(user_ids, start, end) -> dict:
    out = defaultdict(list)
    for uid, at in Case.objects.filter(reporter_id__in=user_ids, reported_at__gte=start,
                                       reported_at__lt=end).values_list("reporter_id", "reported_at"):
        out[uid].append(at)
    for uid, at in CaseEvent.objects.filter(actor_id__in=user_ids, at__gte=start, at__lt=end).values_list(
            "actor_id", "at"):
        out[uid].append(at)
    for uid, at in ShopInspection.objects.filter(inspector_id__in=user_ids, inspected_at__gte=start,
                                                 inspected_at__lt=end).values_list("inspector_id", "inspected_at"):
        out[uid].append(at)
    for uid, at in AdSighting.objects.filter(reported_by_id__in=user_ids, seen_at__gte=start,
                                             seen_at__lt=end).values_list("reported_by_id", "seen_at"):
        out[uid].append(at)
    return out


def squad_presence(viewer, period: Period) -> list[SquadPresence]:
    start, end = day_start(period.start), day_start(period.end)
    squads = JointSquad.objects.filter(scope_q(viewer, region_field="region", roles=READERS), is_active=True)
    assignments = list(
        DutyAssignment.objects.filter(shift__squad__in=squads, status=DutyAssignment.Status.ON_DUTY,
                                      shift__starts_at__lt=end, shift__ends_at__gt=start)
        .select_related("shift", "shift__squad", "shift__squad__region"))
    user_ids = {a.user_id for a in assignments}
    points = defaultdict(list)
    for uid, t in (TrackPoint.objects.filter(user_id__in=user_ids, recorded_at__gte=start - timedelta(hours=1),
                                             recorded_at__lt=end + timedelta(hours=12))
                   .order_by("user_id", "recorded_at").values_list("user_id", "recorded_at")):
        points[uid].append(t)
    acts = _acts_by_user(user_ids, start - timedelta(hours=1), end + timedelta(hours=12))
    out = {s.pk: SquadPresence(s) for s in squads}
    shifts = defaultdict(list)
    people = defaultdict(set)
    gaps = {}
    for a in assignments:
        shifts[a.shift].append(a)
        people[a.shift.squad_id].add(a.user_id)
    for shift, on_duty in shifts.items():
        row = out[shift.squad_id]
        region = shift.squad.region
        if region.pk not in gaps:
            gaps[region.pk] = timedelta(minutes=norm_for(region).track_gap_minutes)
        row.shifts += 1
        handled = 0
        for a in on_duty:
            row.rostered_s += (shift.ends_at - shift.starts_at).total_seconds()
            row.seen_s += _seen_seconds(points[a.user_id], shift.starts_at, shift.ends_at, gaps[region.pk])
            handled += sum(1 for t in acts[a.user_id] if shift.starts_at <= t <= shift.ends_at)
        row.acts += handled
        row.shifts_handled += handled > 0
    for pk, ids in people.items():
        out[pk].people = len(ids)
    return sorted(out.values(), key=lambda r: r.squad.code)
