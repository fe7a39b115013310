"""Tables: what a page shows, an export writes and the API returns, in one shape.

A `Table` has columns (key, label, format) and rows (dicts). Formats: text, int, pct (a rate in %, None is
"—"), score, grade. `None` is always shown as "—" and exported as "—", never as 0.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DASH = "—"


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    fmt: str = "text"

    @property
    def numeric(self) -> bool:
        return self.fmt in ("int", "pct", "score")


@dataclass
class Table:
    id: str
    title: object
    columns: list
    rows: list  # dicts; "_url" (a link for the first column) is optional
    footer: dict | None = None
    note: object = ""
    meta: dict = field(default_factory=dict)

    def cells(self, row: dict) -> list:
        return [(c, row.get(c.key)) for c in self.columns]


def display(value, fmt: str) -> str:
    if value is None:
        return DASH
    if fmt == "pct":
        return f"{value:.2f}%"
    if fmt == "score":
        return f"{value:.2f}"
    if fmt == "int":
        return f"{value:,}"
    return str(value)


def report_table(report, *, links=None, with_counts: bool = True) -> Table:
    """A ranking table of a `reports.Report`; `links(row)` may give a URL for a member's name."""
    spec = report.spec
    columns = [Column("rank", _("rank"), "int"), Column("name", _("name"))]
    for ind in spec.indicators:
        if ind.is_rate or with_counts:
            columns.append(Column(ind.key, ind.label, "pct" if ind.is_rate else "int"))
    columns += [Column("score", _("composite score"), "score"), Column("grade", _("grade"))]
    rows = []
    for r in report.rows:
        row = {"key": r.key, "rank": r.rank, "name": r.name, "score": r.score, "grade": r.grade}
        row.update({ind.key: r.values.get(ind.key) for ind in spec.indicators})
        if links is not None:
            row["_url"] = links(r)
        rows.append(row)
    footer = {ind.key: report.totals.get(ind.key) for ind in spec.indicators}
    footer["name"] = _("all in scope")
    title = f"{spec.label} · {report.period.code}"
    return Table(f"{spec.key}", title, columns, rows, footer=footer)


def as_json(table: Table) -> dict:
    return {
        "id": table.id,
        "title": str(table.title),
        "columns": [{"key": c.key, "label": str(c.label), "format": c.fmt} for c in table.columns],
        "rows": [
            {c.key: row.get(c.key) for c in table.columns} | {"key": row.get("key")} for row in table.rows
        ],
        "totals": {k: (str(v) if k == "name" else v) for k, v in (table.footer or {}).items()},
    }
