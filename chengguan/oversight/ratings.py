"""执法办案评议考核: officers and squads rated over a period from what the enforcement app recorded.

Per officer (a handler, 承办人, of the cases) and per squad (the case's handling unit, 执法中队/大队):
- cases handled: cases the officer was assigned to in the period; closed: closed in the period;
- legal-review pass rate: legal reviews of their cases decided in the period that approved the first time
  asked, ÷ reviews decided (a return for correction is a fail);
- overturned: remedy proceedings (administrative review, lawsuit) ended in the period whose result revoked,
  changed or found the decision unlawful; overturn rate = overturned ÷ proceedings ended;
- complaints: complaints about the officer received, and concluded substantiated, in the period;
- timeliness: the acts with a statutory deadline the officer did or co-signed in time ÷ all such acts in the period.

Score = 30 % legal-review pass rate + 30 % timeliness + 20 % (100 − overturn rate) + 20 % complaint score
(100 − 25 per substantiated complaint, at least 0); a term without a value drops out and the rest are
re-weighted, as in the evaluation app; an officer without any case or act in the period, or with no rated term
besides the complaints, has no score ("—").
Grades are the evaluation app's grade bands (admin → 评价等级).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from chengguan.enforcement.models import (
    CaseEvent,
    CaseOfficer,
    EnforcementCase,
    LegalReview,
    RemedyProceeding,
)
from chengguan.evaluation.models import Grade
from chengguan.evaluation.periods import Period, day_start
from chengguan.org.scope import scope_q

from .access import READERS
from .models import Complaint

WEIGHTS = {"legal_pass_rate": 30, "on_time_rate": 30, "not_overturned": 20, "complaint_score": 20}
PER_COMPLAINT = 25


@dataclass
class Rated:
    key: int
    name: str
    unit: str = ""
    m: dict = field(default_factory=lambda: defaultdict(int))
    score: float | None = None
    grade: str | None = None
    rank: int | None = None

    def rate(self, num, den):
        return round(100.0 * self.m[num] / self.m[den], 1) if self.m[den] else None

    @property
    def legal_pass_rate(self):
        return self.rate("legal_passed", "legal_reviews")

    @property
    def on_time_rate(self):
        return self.rate("acts_on_time", "acts_with_deadline")

    @property
    def overturn_rate(self):
        return self.rate("overturned", "remedies_ended")

    @property
    def complaint_score(self):
        return max(0, 100 - PER_COMPLAINT * self.m["substantiated"])

    @property
    def active(self) -> bool:
        return bool(self.m["handled"] or self.m["closed"] or self.m["acts_with_deadline"])

    def compute(self):
        if not self.active:
            return
        overturn = self.overturn_rate
        terms = {"legal_pass_rate": self.legal_pass_rate, "on_time_rate": self.on_time_rate,
                 "not_overturned": None if overturn is None else 100 - overturn,
                 "complaint_score": self.complaint_score}
        if terms["legal_pass_rate"] is None and terms["on_time_rate"] is None and terms["not_overturned"] is None:
            return  # nothing rated but the complaints: no score, as in the evaluation app ("—")
        got = {k: v for k, v in terms.items() if v is not None}
        weight = sum(WEIGHTS[k] for k in got)
        self.score = round(sum(WEIGHTS[k] * v for k, v in got.items()) / weight, 1) if weight else None


def _grade(score, bands) -> str | None:
    if score is None:
        return None
    for minimum, letter in bands:
        if score >= minimum:
            return letter
    return bands[-1][1] if bands else None


def _range(period: Period):
    return day_start(period.start), day_start(period.end)


def _cases(viewer):
    return EnforcementCase.objects.filter(
        scope_q(viewer, region_field="region", department_field="department", roles=READERS))


def officer_ratings(viewer, period: Period) -> list[Rated]:
    start, end = _range(period)
    cases = _cases(viewer)
    rows: dict[int, Rated] = {}

    def row(user_id, name=""):
        if user_id not in rows:
            rows[user_id] = Rated(user_id, name)
        return rows[user_id]

    handlers = CaseOfficer.objects.filter(case__in=cases).select_related("user", "case__department")
    for co in handlers:
        r = row(co.user_id, str(co.user))
        r.unit = r.unit or co.case.department.name
        if start <= co.assigned_at < end:
            r.m["handled"] += 1
        if co.case.closed_at and start <= co.case.closed_at < end:
            r.m["closed"] += 1
    officer_cases = defaultdict(set)
    for co in handlers:
        officer_cases[co.case_id].add(co.user_id)
    _reviews(officer_cases, LegalReview.objects.filter(case__in=cases, reviewed_at__gte=start, reviewed_at__lt=end),
             lambda uid: row(uid))
    _remedies(officer_cases, cases, period, lambda uid: row(uid))
    timed = CaseEvent.objects.filter(case__in=cases, at__gte=start, at__lt=end, deadline__isnull=False)
    for who in ("actor_id", "co_officer_id"):  # both officers of a two-officer act answer for its timeliness
        for a in timed.filter(**{f"{who}__in": list(rows)}).values(who).annotate(
                n=Count("pk"), late=Count("pk", filter=Q(late=True))):
            r = rows[a[who]]
            r.m["acts_with_deadline"] += a["n"]
            r.m["acts_on_time"] += a["n"] - a["late"]
    for c in Complaint.objects.filter(officer_id__in=list(rows), received_at__gte=start, received_at__lt=end):
        rows[c.officer_id].m["complaints"] += 1
    for c in Complaint.objects.filter(officer_id__in=list(rows), substantiated=True, concluded_at__gte=start,
                                      concluded_at__lt=end):
        rows[c.officer_id].m["substantiated"] += 1
    return _finish(list(rows.values()))


def squad_ratings(viewer, period: Period) -> list[Rated]:
    """The same measures per handling unit: its cases, its officers' acts and the complaints about its people."""
    start, end = _range(period)
    cases = _cases(viewer).select_related("department")
    rows: dict[int, Rated] = {}
    case_unit = {}
    for c in cases.only("pk", "department__name", "department_id", "closed_at"):
        case_unit[c.pk] = c.department_id
        r = rows.setdefault(c.department_id, Rated(c.department_id, c.department.name))
        if c.closed_at and start <= c.closed_at < end:
            r.m["closed"] += 1
    for co in CaseOfficer.objects.filter(case__in=cases, assigned_at__gte=start, assigned_at__lt=end).values(
            "case_id").distinct():
        rows[case_unit[co["case_id"]]].m["handled"] += 1
    unit_of = {case_id: {unit} for case_id, unit in case_unit.items()}
    _reviews(unit_of, LegalReview.objects.filter(case__in=cases, reviewed_at__gte=start, reviewed_at__lt=end),
             lambda k: rows[k])
    _remedies(unit_of, cases, period, lambda k: rows[k])
    for e in CaseEvent.objects.filter(case__in=cases, at__gte=start, at__lt=end, deadline__isnull=False,
                                      actor_role="officer").values("case_id", "late"):
        r = rows[case_unit[e["case_id"]]]
        r.m["acts_with_deadline"] += 1
        r.m["acts_on_time"] += not e["late"]
    for c in Complaint.objects.filter(department_id__in=list(rows), received_at__gte=start, received_at__lt=end):
        rows[c.department_id].m["complaints"] += 1
        if c.substantiated and c.concluded_at and start <= c.concluded_at < end:
            rows[c.department_id].m["substantiated"] += 1
    return _finish(list(rows.values()))


def _reviews(owners: dict, reviews, row):
    """First-time pass: a case's first decided review in the period approved."""
    seen = set()
    for rv in reviews.exclude(opinion="").order_by("reviewed_at", "pk"):
        for key in owners.get(rv.case_id, ()):
            r = row(key)
            r.m["legal_reviews"] += 1
            if rv.opinion == LegalReview.Opinion.APPROVE and (rv.case_id, key) not in seen:
                r.m["legal_passed"] += 1
            seen.add((rv.case_id, key))


def _remedies(owners: dict, cases, period: Period, row):
    for rp in RemedyProceeding.objects.filter(case__in=cases, ended_on__gte=period.start, ended_on__lt=period.end):
        for key in owners.get(rp.case_id, ()):
            r = row(key)
            r.m["remedies_ended"] += 1
            r.m["overturned"] += rp.overturned


def _finish(rows: list[Rated]) -> list[Rated]:
    bands = [(float(g.min_score), g.letter) for g in Grade.objects.order_by("-min_score")]
    for r in rows:
        r.compute()
        r.grade = _grade(r.score, bands)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name))
    for i, r in enumerate(x for x in rows if x.score is not None):
        r.rank = i + 1
    return rows
