"""Reads of assessments and notices, filtered by the reader's scope.

Assessment total of a street (or department) for a period:
    assessment score = base score (100) + Σ points of its valid records (no cap, no floor)
    total = (100 % − w) × assessment score + w × digital urban management composite score
with w = 25 % by default (Minhang: the "大联动" part is 25 % of a street's total). Without a composite score
(no case to evaluate in the period) the total is "—" and the member is listed last, unranked: its assessment
score is still shown.
"""

from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from chengguan.org.models import Department

from .models import AccountabilityAction, AssessmentRecord, AssessmentSettings, RedLightNotice
from .reports import party_report
from .tables import Column, Table


def _street_q(viewer, field="street"):
    if viewer.everything:
        return Q()
    parts = [Q(**{f"{field}__path__startswith": p}) for p in viewer.regions]
    return reduce(or_, parts) if parts else Q(pk__in=[])


def records_in_scope(viewer):
    qs = AssessmentRecord.objects.select_related("item", "street", "department", "recorded_by")
    if viewer.everything:
        return qs
    q = _street_q(viewer)
    if viewer.regions:
        q |= Q(department__isnull=False)  # region users see departments' records (their work in the region)
    for p in viewer.departments:
        q |= Q(department__path__startswith=p)
    return qs.filter(q)


def actions_in_scope(viewer):
    qs = AccountabilityAction.objects.select_related("street", "department", "decided_by")
    if viewer.everything:
        return qs
    q = _street_q(viewer) | Q(department__isnull=False) if viewer.regions else Q(pk__in=[])
    for p in viewer.departments:
        q |= Q(department__path__startswith=p)
    return qs.filter(q)


def notices_in_scope(viewer):
    qs = RedLightNotice.objects.select_related("case", "case__matter", "department", "issued_by")
    if viewer.everything:
        return qs
    q = Q(pk__in=[])
    for p in viewer.regions:
        q |= Q(case__community__path__startswith=p)
    for p in viewer.departments:
        q |= Q(department__path__startswith=p)
    return qs.filter(q)


def _points(period, viewer, field):
    rows = (
        records_in_scope(viewer)
        .filter(
            status="valid",
            occurred_on__gte=period.start,
            occurred_on__lt=period.end,
            **{f"{field}__isnull": False},
        )
        .values(field)
        .annotate(
            plus=Sum("points", filter=Q(points__gt=0)),
            minus=Sum("points", filter=Q(points__lt=0)),
            n=Sum("quantity"),
        )
        .order_by()
    )
    return {r[field]: r for r in rows}


def _total(base, net, digital, weight):
    if digital is None:
        return None
    score = base + net
    return round(float((Decimal(100) - weight) / 100 * score + weight / 100 * Decimal(str(digital))), 2)


def assessment_table(period, viewer, target: str = "street") -> Table:
    settings = AssessmentSettings.current()
    if target == "street":
        report = party_report("region", period, viewer, level="street")
        weight = settings.street_digital_weight
        members = {r.key: (r.name, r.score) for r in report.rows}
        points = _points(period, viewer, "street")
    else:
        report = party_report("department", period, viewer)
        weight = settings.department_digital_weight
        members = {r.key: (r.name, r.score) for r in report.rows}
        points = _points(period, viewer, "department")
        missing = [k for k in points if k not in members]
        for pk, name in Department.objects.filter(pk__in=missing).values_list("pk", "name"):
            members[pk] = (name, None)
    rows = []
    for key, (name, digital) in members.items():
        p = points.get(key, {})
        plus, minus = p.get("plus") or Decimal(0), p.get("minus") or Decimal(0)
        rows.append(
            {
                "key": key,
                "name": name,
                "occurrences": p.get("n") or 0,
                "plus": float(plus),
                "minus": float(minus),
                "assessment": float(settings.base_score + plus + minus),
                "digital": digital,
                "total": _total(settings.base_score, plus + minus, digital, weight),
            }
        )
    rows.sort(key=lambda r: (r["total"] is None, -(r["total"] or 0), r["name"]))
    for i, row in enumerate(rows, 1):
        row["rank"] = i if row["total"] is not None else None
    columns = [
        Column("rank", _("rank"), "int"),
        Column("name", _("street") if target == "street" else _("department")),
        Column("occurrences", _("occurrences"), "int"),
        Column("plus", _("points added"), "score"),
        Column("minus", _("points deducted"), "score"),
        Column("assessment", _("assessment score"), "score"),
        Column("digital", _("digital urban management score"), "score"),
        Column("total", _("total"), "score"),
    ]
    note = _("total = %(rest)s%% × assessment score + %(w)s%% × digital urban management score") % {
        "rest": f"{Decimal(100) - weight:g}",
        "w": f"{weight:g}",
    }
    title = _("Street assessment") if target == "street" else _("Department assessment")
    return Table(f"assessment_{target}", f"{title} · {period.code}", columns, rows, note=note)
