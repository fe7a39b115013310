"""Interactive charts drawn in the browser by Apache ECharts (vendored in core/static/core/vendor/echarts).

The server builds the ECharts option (plain JSON, no code) and a sentence that says what the chart shows; the
page gets `<div class="echart" role="img" aria-label="…" data-echart="{…}">` and `core/charts.js` draws it.
The sentence is the text alternative (WCAG 1.1.1) and what a page without JavaScript shows.
Printable pages keep the server-drawn SVG of `evaluation.charts`.
"""

import json

from django.utils.html import format_html
from django.utils.translation import gettext as _

PALETTE = ["#1f5fa8", "#c62828", "#2e7d32", "#b45309", "#6b21a8", "#0f766e"]
BRIGHT = ["#38bdf8", "#facc15", "#4ade80", "#f472b6", "#a78bfa", "#fb923c", "#2dd4bf"]
DARK_TEXT, LIGHT_TEXT = "#1f2937", "#e5e7eb"


def _fmt(v) -> str:
    return "—" if v is None else f"{v:.1f}".rstrip("0").rstrip(".")


def render(option: dict, alt: str, *, height: str = "260px", css: str = "") -> str:
    return format_html(
        '<div class="echart {}" role="img" aria-label="{}" data-echart="{}" style="height:{}">'
        '<p class="echart-alt">{}</p></div>',
        css,
        alt,
        json.dumps(option, ensure_ascii=False),
        height,
        alt,
    )


def _text(dark: bool) -> str:
    return LIGHT_TEXT if dark else DARK_TEXT


def bar(
    title: str, items: list[tuple[str, float]], *, dark=False, color="#1f5fa8", height="260px", x_max=None
) -> str:
    """Horizontal bars, largest on top."""
    items = list(items)
    labels = [str(label) for label, _v in reversed(items)]
    values = [v for _l, v in reversed(items)]
    text = _text(dark)
    option = {
        "grid": {"left": 8, "right": 40, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "value",
            "minInterval": 1,
            "axisLabel": {"color": text},
            "splitLine": {"lineStyle": {"opacity": 0.2}},
        },
        "yAxis": {
            "type": "category",
            "data": labels,
            "axisLabel": {"color": text, "width": 120, "overflow": "truncate"},
        },
        "tooltip": {"trigger": "axis"},
        "series": [
            {
                "type": "bar",
                "data": values,
                "itemStyle": {"color": color},
                "label": {"show": True, "position": "right", "color": text},
            }
        ],
    }
    if x_max is not None:
        option["xAxis"]["max"] = x_max
    alt = f"{title}: " + ", ".join(f"{label} {_fmt(v)}" for label, v in items)
    return render(option, alt, height=height)


def line(
    title: str,
    x_labels: list[str],
    series: list[tuple[str, list]],
    *,
    dark=False,
    unit="%",
    y_max=None,
    height="280px",
) -> str:
    """Series over periods or days; None leaves a gap. Labels never overlap: ECharts hides the ones that would."""
    text = _text(dark)
    option = {
        "color": ["#38bdf8", "#f87171", "#4ade80", "#facc15"] if dark else PALETTE,
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "legend": {"top": 0, "textStyle": {"color": text}},
        "tooltip": {"trigger": "axis", "valueFormatter": None},
        "xAxis": {
            "type": "category",
            "data": [str(x) for x in x_labels],
            "axisLabel": {"color": text, "hideOverlap": True},
        },
        "yAxis": {
            "type": "value",
            "min": 0,
            "minInterval": 1 if not unit else 0,
            "axisLabel": {"color": text, "formatter": "{value}" + unit},
            "splitLine": {"lineStyle": {"opacity": 0.2}},
        },
        "series": [
            {"type": "line", "name": str(name), "data": list(values), "connectNulls": False, "symbolSize": 6}
            for name, values in series
        ],
    }
    if y_max is not None:
        option["yAxis"]["max"] = y_max
    del option["tooltip"]["valueFormatter"]
    last = x_labels[-1] if x_labels else ""
    parts = []
    for name, values in series:
        known = [v for v in values if v is not None]
        text_value = _fmt(values[-1] if values else None)
        if values and values[-1] is not None:
            text_value += unit
        part = f"{name} {last} {text_value}"
        if known:
            part += _(" (highest %(high)s, lowest %(low)s)") % {
                "high": _fmt(max(known)) + unit,
                "low": _fmt(min(known)) + unit,
            }
        parts.append(part)
    first = x_labels[0] if x_labels else ""
    alt = f"{title} ({first}–{last}): " + "; ".join(parts)
    return render(option, alt, height=height)


def donut(title: str, items: list[tuple[str, float]], *, dark=False, colors=None, height="240px") -> str:
    text = _text(dark)
    option = {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "color": colors or (BRIGHT if dark else PALETTE),
        "legend": {"top": 0, "textStyle": {"color": text}},
        "series": [
            {
                "type": "pie",
                "radius": ["38%", "62%"],
                "center": ["50%", "60%"],
                "label": {"color": text, "formatter": "{c}"},
                "data": [{"name": str(label), "value": v} for label, v in items],
            }
        ],
    }
    alt = f"{title}: " + ", ".join(f"{label} {_fmt(v)}" for label, v in items)
    return render(option, alt, height=height)
