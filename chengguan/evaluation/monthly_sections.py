"""The monthly report's figures beyond the case counts: the hotspot map (drawn here, nothing fetched), timeliness
by step, red-light notices, satisfaction and the enforcement summary (cases, fines, 721 split).

The hotspot map is a density image of the month's case points over the outlines of the region's unit grids,
drawn by matplotlib from the database alone (no tiles, no network). Satisfaction and enforcement come from the
public and enforcement apps when they are installed (`apps.get_model`, lazy imports), so evaluation does not
depend on them.
"""

import io
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q, Sum

from chengguan.cases.models import CaseEvent
from chengguan.grids.models import UnitGrid

STEP_NAMES = {"accept": "受理", "verify": "核实", "file": "立案", "dispatch": "派遣", "handle": "处置",
              "check": "核查", "close": "结案", "district": "区级派遣"}  # fmt: skip
LEVEL_NAMES = {"urge": "催办", "supervise": "督办", "referral": "移送监察"}
SCORE_NAMES = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}
WAY_NAMES = {"service": "服务解决", "management": "管理解决", "enforcement": "执法解决"}


def _scope(region, prefix: str = "") -> Q:
    if region.level == "city":
        return Q()
    return Q(**{f"{prefix}district": region}) | Q(**{f"{prefix}street": region}) | Q(**{f"{prefix}community": region})


def _outlines(region):
    grids = UnitGrid.objects.all() if region.level == "city" else UnitGrid.objects.filter(
        community__path__startswith=region.path)
    for geometry in grids.values_list("geometry", flat=True).iterator(chunk_size=500):
        kind, coords = (geometry or {}).get("type"), (geometry or {}).get("coordinates") or []
        polygons = coords if kind == "MultiPolygon" else [coords] if kind == "Polygon" else []
        for polygon in polygons:
            if polygon and polygon[0]:
                yield polygon[0]


def hotspot_png(region, points: list[tuple[float, float]], title: str) -> bytes:
    """Case density (hexagonal bins) over the unit-grid outlines; the densest cells dark red."""
    from .monthly import CJK_FONTS, _pyplot

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.0, 4.6), dpi=150)
    from matplotlib.collections import LineCollection

    rings = [[(p[0], p[1]) for p in ring] for ring in _outlines(region)]
    xs_all = [x for ring in rings for x, _y in ring]
    ys_all = [y for ring in rings for _x, y in ring]
    ax.add_collection(LineCollection(rings, colors="#c3ccd5", linewidths=0.25, zorder=1))  # one artist, fast
    if points:
        lng, lat = zip(*points, strict=True)
        cells = ax.hexbin(lng, lat, gridsize=36, mincnt=1, cmap="YlOrRd", vmin=0, linewidths=0.3,
                          edgecolors="#7a1f1f", zorder=3)  # fmt: skip
        bar = fig.colorbar(cells, ax=ax, shrink=0.7)
        bar.set_label("案件数（件）", fontsize=8)
        bar.ax.tick_params(labelsize=7)
        from matplotlib.ticker import MaxNLocator

        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
        xs_all += list(lng)
        ys_all += list(lat)
    else:
        ax.text(0.5, 0.5, "本月无案件", transform=ax.transAxes, ha="center", va="center", fontsize=12)
    if xs_all:
        pad_x = (max(xs_all) - min(xs_all)) * 0.03 or 0.01
        pad_y = (max(ys_all) - min(ys_all)) * 0.03 or 0.01
        ax.set_xlim(min(xs_all) - pad_x, max(xs_all) + pad_x)
        ax.set_ylim(min(ys_all) - pad_y, max(ys_all) + pad_y)
    ax.set_aspect(1 / 0.82)  # ~cos(35°): degrees of longitude are shorter than degrees of latitude here
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#8a8a8a")
    ax.set_title(title, fontsize=10, fontfamily=CJK_FONTS)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def timeliness(cases) -> list[tuple[str, int, int]]:
    """(step, steps ended, of them on time) for the month's cases, in the workflow's order."""
    rows = (CaseEvent.objects.filter(case__in=cases.values("pk"), on_time__isnull=False).exclude(ended_step="")
            .values_list("ended_step").annotate(n=Count("pk"), ok=Count("pk", filter=Q(on_time=True))))  # fmt: skip
    order = list(STEP_NAMES)
    rows = sorted(rows, key=lambda r: order.index(r[0]) if r[0] in order else len(order))
    return [(STEP_NAMES.get(step, step), n, ok) for step, n, ok in rows]


def red_lights(region, start, end) -> dict:
    from .models import RedLightNotice

    notices = RedLightNotice.objects.filter(_scope(region, "case__"), issued_at__gte=start, issued_at__lt=end)
    by_level = dict(notices.values_list("level").annotate(n=Count("pk")))
    listed = list(notices.select_related("case", "department").order_by("-issued_at")[:15])
    return {
        "total": sum(by_level.values()),
        "by_level": {LEVEL_NAMES.get(k, k): v for k, v in by_level.items()},
        "open": notices.filter(status="open").count(),
        "rows": [(n.number, f"{n.case.number}，{LEVEL_NAMES.get(n.level, n.level)}，"
                            f"{n.department.name if n.department_id else '—'}，"
                            f"{'未办结' if n.status == 'open' else '已办结'}") for n in listed],
    }  # fmt: skip


def satisfaction(region, start, end) -> dict | None:
    try:
        model = apps.get_model("public", "Satisfaction")
    except LookupError:
        return None
    rated = model.objects.filter(_scope(region, "case__"), rated_at__gte=start, rated_at__lt=end)
    counts = dict(rated.values_list("score").annotate(n=Count("pk")))
    total = sum(counts.values())
    good = counts.get("satisfied", 0) + counts.get("basic", 0)
    return {"total": total, "counts": {SCORE_NAMES.get(k, k): counts.get(k, 0) for k in SCORE_NAMES},
            "rate": f"{good * 100 / total:.1f}%" if total else "—"}  # fmt: skip


def enforcement(region, start, end) -> dict | None:
    try:
        model = apps.get_model("enforcement", "EnforcementCase")
        from chengguan.enforcement.selectors import enforcement_721_counts
    except (LookupError, ImportError):
        return None
    scope = Q() if region.level == "city" else Q(region__path__startswith=region.path)
    cases = model.objects.filter(scope)
    registered = cases.filter(registered_at__gte=start, registered_at__lt=end).count()
    filed = cases.filter(filed_at__gte=start, filed_at__lt=end).count()
    decided = cases.filter(decided_at__gte=start, decided_at__lt=end, outcome="penalty")
    fines = decided.aggregate(s=Sum("fine_amount"))["s"] or Decimal(0)
    split = enforcement_721_counts(start, end, region=None if region.level == "city" else region)
    return {"registered": registered, "filed": filed, "decided": decided.count(), "fines": fines,
            "split": {WAY_NAMES.get(k, k): v for k, v in split.items()}}  # fmt: skip
