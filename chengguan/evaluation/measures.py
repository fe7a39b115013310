"""The seeds' own measures (DOMAIN.md): discovery / disposal / rectification rates (Haikou), closure rate and
complaint closure rate (Hongshan), problems by source channel, the top problem types and the "721" split.

- 发现率 discovery rate = reports found by the city itself (supervisors, cameras, departments, leaders) / all
  reports; 处置率 disposal rate = dispatched cases handled / dispatched; 整改率 rectification rate = valid
  cases whose fix was confirmed on site (check passed, or fixed on the spot) / valid cases; 结案率 closure rate
  = closed / valid cases not hung up; complaint closure rate: the same for citizen and hotline reports.
- "721" (70 % of problems solved by service, 20 % by management, 10 % by enforcement) counts the problems the
  enforcement side resolved in the period: enforcement cases by their recorded resolution, as the enforcement
  app reports them (`enforcement.selectors.enforcement_721_counts`), and frontage (门前三包)
  violations by the measure taken — education → service, warning or rectification order → management,
  referral for penalty → enforcement. Digital cases are not split: they are measured by the rates above.
"""

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from chengguan.cases.models import Source as CaseSource
from chengguan.cases.presenters import channel_label
from chengguan.org.models import Region

from .periods import day_start
from .reports import child_level, party_report
from .tables import Column, Table

SEVEN_TWO_ONE = (
    ("service", _("service"), 70),
    ("management", _("management"), 20),
    ("enforcement", _("enforcement"), 10),
)
FRONTAGE_721 = {
    "education": "service",
    "warning": "management",
    "order": "management",
    "penalty": "enforcement",
}
SEED_RATES = ("discovery_rate", "disposal_rate", "rectification_rate", "close_rate", "complaint_close_rate")


def _pct(num, den):
    return round(100.0 * num / den, 2) if den else None


def region_rates_table(period, viewer, parent=None) -> Table:
    level = child_level(parent) if parent is not None else "district"
    report = party_report("region", period, viewer, level=level, parent=parent)
    spec = {i.key: i for i in report.spec.indicators}
    columns = [
        Column("name", _("region")),
        Column("reported", _("reports"), "int"),
        Column("filed", _("cases filed"), "int"),
    ]
    columns += [Column(k, spec[k].label, "pct") for k in SEED_RATES]
    rows = [
        {"key": r.key, "name": r.name, **{c.key: r.values.get(c.key) for c in columns[1:]}}
        for r in report.rows
    ]
    rows.sort(key=lambda r: (-r["reported"], r["name"]))
    footer = {c.key: report.totals.get(c.key) for c in columns[1:]} | {"name": _("all in scope")}
    return Table(
        "rates", _("Discovery, disposal, rectification and closure rates"), columns, rows, footer=footer
    )


def sources_table(period, viewer) -> Table:
    from .models import CaseFact

    qs = CaseFact.objects.filter(viewer.region_q(), reported_on__gte=period.start, reported_on__lt=period.end)
    rows_qs = (
        qs.values("source", "channel")
        .annotate(n=Count("pk"), v=Sum("valid"), c=Sum("closed"), nc=Sum("need_close"))
        .order_by("source", "channel")
    )
    labels = dict(CaseSource.choices)
    total = sum(r["n"] for r in rows_qs)
    rows = [
        {
            "source": str(labels.get(r["source"], r["source"])),
            "channel": channel_label(r["channel"]),
            "reported": r["n"],
            "share": _pct(r["n"], total),
            "valid": r["v"] or 0,
            "closed": r["c"] or 0,
            "close_rate": _pct(r["c"] or 0, r["nc"] or 0),
        }
        for r in rows_qs
    ]
    columns = [
        Column("source", _("source")),
        Column("channel", _("channel")),
        Column("reported", _("reports"), "int"),
        Column("share", _("share"), "pct"),
        Column("valid", _("valid reports"), "int"),
        Column("closed", _("closed"), "int"),
        Column("close_rate", _("closure rate"), "pct"),
    ]
    return Table("sources", _("Problems by source channel"), columns, rows)


def top_matters(period, viewer, *, limit: int = 10) -> list[dict]:
    from .models import CaseFact

    qs = CaseFact.objects.filter(viewer.region_q(), reported_on__gte=period.start, reported_on__lt=period.end)
    rows = list(
        qs.values("matter__code", "matter__name")
        .annotate(n=Count("pk"), v=Sum("valid"))
        .order_by("-n", "matter__code")[:limit]
    )
    total = qs.count() if rows else 0
    return [
        {
            "code": r["matter__code"],
            "name": r["matter__name"],
            "reported": r["n"],
            "valid": r["v"] or 0,
            "share": _pct(r["n"], total),
        }
        for r in rows
    ]


def matters_table(period, viewer) -> Table:
    columns = [
        Column("code", _("code")),
        Column("name", _("matter")),
        Column("reported", _("reports"), "int"),
        Column("share", _("share"), "pct"),
        Column("valid", _("valid reports"), "int"),
    ]
    return Table("matters", _("Top problem types"), columns, top_matters(period, viewer))


def _region_filter(viewer, field="region"):
    if viewer.everything:
        return Q()
    q = Q(pk__in=[])
    for p in viewer.regions:
        q |= Q(**{f"{field}__path__startswith": p})
    return q


def _top_regions(viewer) -> list:
    paths = [p for p in viewer.regions if not any(p != q and p.startswith(q) for q in viewer.regions)]
    return list(Region.objects.filter(path__in=paths))


def _enforcement_counts(period, viewer) -> dict | None:
    """The enforcement app's "721" feed (`enforcement_721_counts`), per region of the viewer's scope."""
    try:
        from chengguan.enforcement.selectors import enforcement_721_counts
    except ImportError:
        return None
    start, end = day_start(period.start), day_start(period.end)
    regions = [None] if viewer.everything else _top_regions(viewer)
    total: dict = {}
    for region in regions:
        for way, n in enforcement_721_counts(start, end, region=region).items():
            total[way] = total.get(way, 0) + n
    return total


def seven_two_one(period, viewer) -> dict:
    """Counts per way of solving ("service", "management", "enforcement") from the enforcement side."""
    counts = {"service": 0, "management": 0, "enforcement": 0}
    by_source = {}
    part = _enforcement_counts(period, viewer)
    if part is not None:
        by_source["enforcement_cases"] = part
        for k, v in part.items():
            counts[k] = counts.get(k, 0) + v
    try:
        violation = apps.get_model("patrol", "ShopViolation")
    except LookupError:
        violation = None
    if violation is not None:
        rows = (
            violation.objects.filter(
                _region_filter(viewer, "shop__region"),
                created_at__date__gte=period.start,
                created_at__date__lt=period.end,
            )
            .values("measure")
            .annotate(n=Count("pk"))
            .order_by()
        )
        part = {}
        for r in rows:
            way = FRONTAGE_721.get(r["measure"])
            if way:
                part[way] = part.get(way, 0) + r["n"]
                counts[way] += r["n"]
        by_source["frontage"] = part
    total = sum(counts.values())
    return {
        "counts": counts,
        "total": total,
        "shares": {k: _pct(v, total) for k, v in counts.items()},
        "by_source": by_source,
    }


def seven_two_one_table(period, viewer) -> Table:
    data = seven_two_one(period, viewer)
    rows = [
        {
            "way": label,
            "enforcement_cases": data["by_source"].get("enforcement_cases", {}).get(key, 0),
            "frontage": data["by_source"].get("frontage", {}).get(key, 0),
            "count": data["counts"][key],
            "share": data["shares"][key],
            "target": float(target),
        }
        for key, label, target in SEVEN_TWO_ONE
    ]
    columns = [
        Column("way", _("solved by")),
        Column("enforcement_cases", _("enforcement cases"), "int"),
        Column("frontage", _("frontage inspections"), "int"),
        Column("count", _("total"), "int"),
        Column("share", _("share"), "pct"),
        Column("target", _("target"), "pct"),
    ]
    return Table(
        "seven_two_one",
        _('The "721" split'),
        columns,
        rows,
        footer={"way": _("total"), "count": data["total"]},
    )


def measures_tables(period, viewer, parent=None) -> list[Table]:
    return [
        region_rates_table(period, viewer, parent),
        sources_table(period, viewer),
        matters_table(period, viewer),
        seven_two_one_table(period, viewer),
    ]
