"""Charts drawn on the server as inline SVG: no chart library, nothing fetched, prints as it looks.

`line_chart` draws series over periods, leaving gaps where a value is None (the 监测 page's sensor charts;
the interactive pages use ECharts through core/charts.py).
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ("#1f5fa8", "#c62828", "#2e7d32", "#f2a900", "#6b21a8", "#0f766e")


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def line_chart(
    x_labels: list[str], series: list[tuple[str, list]], *, width=720, height=260, y_max=100.0, unit="%"
):
    left, right, top, bottom = 44, 12, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(x_labels), 1)

    def x(i):
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v):
        return top + plot_h * (1 - min(max(v, 0), y_max) / y_max)

    parts = [
        f'<svg class="chart line" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">'
    ]
    for k in range(5):
        v = y_max * k / 4
        yy = y(v)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e7eb"/>')
        parts.append(
            f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#6b7280">{_fmt(v)}{unit}</text>'
        )
    step = max(1, n // 12)
    for i, label in enumerate(x_labels):
        if i % step == 0 or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else ("start" if i == 0 and n > 1 else "middle")
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="{anchor}" fill="#6b7280">{escape(label)}</text>'
            )
    for s, (name, values) in enumerate(series):
        color = PALETTE[s % len(PALETTE)]
        segment = []
        segments = []
        for i, v in enumerate(values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append((x(i), y(v), v, i))
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                pts = " ".join(f"{px:.1f},{py:.1f}" for px, py, _v, _i in seg)
                parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>')
            for px, py, v, i in seg:
                parts.append(
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}">'
                    f"<title>{escape(name)} {escape(x_labels[i])}: {_fmt(v)}{unit}</title></circle>"
                )
        lx = left + 8 + s * (plot_w / max(len(series), 1))
        parts.append(f'<rect x="{lx:.1f}" y="{height - 16}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{lx + 14:.1f}" y="{height - 7}" fill="#1f2937">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
