"""月度分析报告: a month's figures for a region as a Word document in the official layout, with charts.

Sections: 一、总体情况 (a summary paragraph generated from the figures), 二、案件来源, 三、问题类别, 四、热点分布
(a density map drawn from the database, nothing fetched), 五、高发问题（前十位，环比、同比）, 六、办理时效 (by step),
七、街道排名, 八、超期案件, 九、红灯督办, 十、群众满意度, 十一、执法情况 (cases, fines, 721 split). Charts are drawn
with matplotlib (Agg, no display) in the pages' colours with a CJK font, and embedded as PNG; `CHARTS` names
them in order (the test checks each is in the document).

`monthly_job()` (worker, 1st of each month) writes last month's report for every district to the media
storage under `reports/monthly/<district code>/<YYYY-MM>.docx`, where it is kept for download.
"""

import base64
import io
from collections import Counter
from datetime import date, datetime, time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.utils import timezone

from chengguan.cases.models import Case, Source
from chengguan.org.models import Region

from . import monthly_sections as sections
from .periods import _shift_month

COLOURS = ["#1f5fa8", "#2e9e6b", "#e0a526", "#c8433a", "#7a5ab5", "#4aa3c8", "#8a8a8a"]
CJK_FONTS = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei", "AR PL UKai CN"]
SECTIONS = ["一、总体情况", "二、案件来源", "三、问题类别", "四、热点分布", "五、高发问题（前十位）", "六、办理时效",
            "七、街道排名", "八、超期案件", "九、红灯督办", "十、群众满意度", "十一、执法情况"]  # fmt: skip
CHARTS = ["案件来源", "问题大类", "案件热点分布", "各环节按时率", "群众满意度", "执法案件721分类"]


def _bounds(year: int, month: int):
    ny, nm = _shift_month(year, month, 1)
    tz = timezone.get_current_timezone()
    return (datetime.combine(date(year, month, 1), time.min, tz), datetime.combine(date(ny, nm, 1), time.min, tz))


def _cases(region: Region, year: int, month: int):
    start, end = _bounds(year, month)
    scope = Q(district=region) | Q(street=region) | Q(community=region) if region.level != "city" else Q()
    return Case.objects.filter(scope, reported_at__gte=start, reported_at__lt=end)


def _pct(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _change(now: int, before: int) -> str:
    if not before:
        return "—"
    return f"{(now - before) * 100 / before:+.1f}%"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    if plt.rcParams["font.sans-serif"][: len(CJK_FONTS)] != CJK_FONTS:
        plt.rcParams["font.sans-serif"] = CJK_FONTS + plt.rcParams["font.sans-serif"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _chart(kind: str, labels: list, values: list, title: str, *, xlabel: str = "") -> bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.0, 3.0), dpi=150)
    if kind == "pie" and sum(values):
        ax.pie(values, labels=labels, colors=COLOURS[: len(values)], autopct="%1.0f%%", textprops={"fontsize": 8})
        ax.axis("equal")
    else:
        ax.barh(labels[::-1], values[::-1], color=COLOURS[0])
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if xlabel:
            ax.set_xlabel(xlabel, fontsize=8)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def figures(region: Region, year: int, month: int, *, now=None) -> dict:
    now = now or timezone.now()
    qs = _cases(region, year, month)
    total = qs.count()
    by_source = dict(qs.values_list("source").annotate(n=Count("pk")).values_list("source", "n"))
    by_class = list(qs.values_list("matter__major_code", "matter__major_name").annotate(n=Count("pk")).order_by("-n"))
    top = list(qs.values_list("matter__code", "matter__name").annotate(n=Count("pk")).order_by("-n", "matter__code")[:10])
    py, pm = _shift_month(year, month, -1)
    before = Counter(dict(_cases(region, py, pm).values_list("matter__code").annotate(n=Count("pk"))
                          .values_list("matter__code", "n")))  # fmt: skip
    last_year = Counter(dict(_cases(region, year - 1, month).values_list("matter__code").annotate(n=Count("pk"))
                             .values_list("matter__code", "n")))  # fmt: skip
    closed = qs.filter(state="closed").count()
    filed = qs.exclude(filed_at=None).count()
    overdue = list(qs.filter(is_open=True, deadline__lt=now).order_by("deadline")
                   .values_list("number", "matter__name", "street__name", "deadline")[:20])  # fmt: skip
    streets = list(qs.values_list("street__name").annotate(n=Count("pk"), done=Count("pk", filter=Q(state="closed")))
                   .order_by("-n", "street__name"))  # fmt: skip
    return {
        "region": region, "year": year, "month": month, "total": total, "filed": filed, "closed": closed,
        "by_source": by_source, "by_class": by_class, "top": top, "before": before, "last_year": last_year,
        "overdue": overdue, "overdue_total": qs.filter(is_open=True, deadline__lt=now).count(),
        "previous_total": sum(before.values()), "streets": streets,
        "points": list(qs.values_list("lng", "lat")), "steps": sections.timeliness(qs),
        "red": sections.red_lights(region, *_bounds(year, month)),
        "satisfaction": sections.satisfaction(region, *_bounds(year, month)),
        "enforcement": sections.enforcement(region, *_bounds(year, month)),
    }  # fmt: skip


def summary(f: dict) -> str:
    """The generated paragraph: volume and change, closure, the most frequent problem, overdue cases."""
    text = (f"{f['year']}年{f['month']}月，{f['region'].name}共受理城市管理问题{f['total']}件，"
            f"环比{_change(f['total'], f['previous_total'])}；立案{f['filed']}件，结案{f['closed']}件，"
            f"结案率{_pct(f['closed'], f['filed'])}。")  # fmt: skip
    if f["top"]:
        code, name, n = f["top"][0]
        text += f"高发问题为{name}（{n}件，占{_pct(n, f['total'])}）。"
    text += f"截至报告生成时，本月上报案件中超期未结{f['overdue_total']}件。" if f["overdue_total"] else "本月上报案件无超期未结。"
    if f.get("red") and f["red"]["total"]:
        text += f"发出红灯督办通知{f['red']['total']}份。"
    if f.get("satisfaction") and f["satisfaction"]["total"]:
        text += f"回访评价{f['satisfaction']['total']}件，满意率{f['satisfaction']['rate']}。"
    if f.get("enforcement"):
        e = f["enforcement"]
        text += f"综合执法立案{e['filed']}件，作出处罚决定{e['decided']}件，罚款{e['fines']:,.2f}元。"
    return text


class DocxOut:
    """Writes the report's blocks into a GB/T 9704 document (core/office/docs.py)."""

    def __init__(self):
        from chengguan.core.office import (
            docs as office,  # python-docx on first use: ~15 MB a worker need not hold
        )

        self.office, self.doc = office, office.new_document()

    def __getattr__(self, name):  # heading, paragraph, plain, table, signature
        method = getattr(self.office, name)
        return lambda *args, **kwargs: method(self.doc, *args, **kwargs)

    def picture(self, png: bytes) -> None:
        from docx.shared import Mm

        self.doc.add_picture(io.BytesIO(png), width=Mm(150))

    def getvalue(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


class HtmlOut:
    """Collects the report's blocks for the page (evaluation/monthly_report.html); charts as PNG data URIs."""

    def __init__(self):
        self.blocks: list[dict] = []

    def heading(self, text, **kwargs):
        self.blocks.append({"kind": "heading", "text": text})

    def paragraph(self, text, *, bold_lead="", **kwargs):
        self.blocks.append({"kind": "paragraph", "text": text, "lead": bold_lead.strip()})

    def plain(self, text):
        self.blocks.append({"kind": "section", "text": text})

    def table(self, rows, **kwargs):
        self.blocks.append({"kind": "table", "rows": list(rows)})

    def picture(self, png: bytes) -> None:
        self.blocks.append({"kind": "picture", "src": "data:image/png;base64," + base64.b64encode(png).decode()})

    def signature(self, body_name, date_text):
        self.blocks.append({"kind": "signature", "text": f"{body_name}　{date_text}"})


def build(region: Region, year: int, month: int, *, now=None) -> bytes:
    out = DocxOut()
    write(out, region, year, month, now=now)
    return out.getvalue()


def blocks(region: Region, year: int, month: int, *, now=None) -> list[dict]:
    out = HtmlOut()
    write(out, region, year, month, now=now)
    return out.blocks


def write(out, region: Region, year: int, month: int, *, now=None) -> None:
    """The report, section by section, to `out` (DocxOut for the .docx, HtmlOut for the page): one content for both."""
    f = figures(region, year, month, now=now)
    sources = dict(Source.choices)
    out.heading(f"{region.name}城市管理")
    out.heading(f"{year}年{month}月分析报告")
    out.paragraph(summary(f), bold_lead=f"{SECTIONS[0]}　")
    out.plain(SECTIONS[1])
    src = sorted(f["by_source"].items(), key=lambda kv: -kv[1])
    out.table([(str(sources.get(k, k)), f"{n}件（{_pct(n, f['total'])}）") for k, n in src] or [("—", "0件")])
    out.picture(_chart("pie", [str(sources.get(k, k)) for k, _n in src], [n for _k, n in src], CHARTS[0]))
    out.plain(SECTIONS[2])
    out.table([(f"{code} {name}", f"{n}件") for code, name, n in f["by_class"]] or [("—", "0件")])
    out.picture(_chart("bar", [name for _c, name, _n in f["by_class"]], [n for _c, _name, n in f["by_class"]],
                         CHARTS[1], xlabel="件"))  # fmt: skip
    out.plain(SECTIONS[3])
    out.paragraph(f"本月{len(f['points'])}件案件按上报位置落点统计，颜色越深案件越集中（底图为单元网格边界）。")
    out.picture(sections.hotspot_png(region, f["points"], CHARTS[2]))
    out.plain(SECTIONS[4])
    out.table([(f"{i}. {name}", f"{n}件，环比{_change(n, f['before'][code])}，同比{_change(n, f['last_year'][code])}")
                       for i, (code, name, n) in enumerate(f["top"], 1)] or [("—", "0件")], label_mm=60)  # fmt: skip
    out.plain(SECTIONS[5])
    out.table([("受理", f"{f['total']}件"), ("立案", f"{f['filed']}件"), ("结案", f"{f['closed']}件"),
                       ("结案率", _pct(f["closed"], f["filed"])), ("超期未结", f"{f['overdue_total']}件")]
                 + [(f"{step}环节", f"办结{n}次，按时{ok}次（{_pct(ok, n)}）") for step, n, ok in f["steps"]])  # fmt: skip
    out.picture(_chart("bar", [step for step, _n, _ok in f["steps"]],
                         [round(ok * 100 / n, 1) if n else 0 for _s, n, ok in f["steps"]], CHARTS[3], xlabel="%"))
    out.plain(SECTIONS[6])
    out.table([(f"{i}. {name}", f"上报{n}件，结案{done}件（{_pct(done, n)}）")
                       for i, (name, n, done) in enumerate(f["streets"], 1)] or [("—", "0件")], label_mm=60)  # fmt: skip
    out.plain(SECTIONS[7])
    out.table([(number, f"{name}，{street}，时限{timezone.localtime(due):%m-%d %H:%M}")
                       for number, name, street, due in f["overdue"]] or [("—", "无")], label_mm=50)  # fmt: skip
    red = f["red"]
    out.plain(SECTIONS[8])
    out.paragraph(f"本月发出红灯督办通知{red['total']}份" + (
        "（" + "，".join(f"{k}{v}份" for k, v in red["by_level"].items()) + f"），尚未办结{red['open']}份。"
        if red["total"] else "。"))  # fmt: skip
    if red["rows"]:
        out.table(red["rows"], label_mm=50)
    sat = f["satisfaction"]
    out.plain(SECTIONS[9])
    if sat is None:
        out.paragraph("本系统未启用群众回访。")
    else:
        out.paragraph(f"本月回访评价{sat['total']}件，满意率（含基本满意）{sat['rate']}。")
        out.table([(k, f"{v}件") for k, v in sat["counts"].items()])
    out.picture(_chart("pie", list((sat or {}).get("counts", {})), list((sat or {}).get("counts", {}).values()),
                         CHARTS[4]))  # fmt: skip
    enf = f["enforcement"]
    out.plain(SECTIONS[10])
    if enf is None:
        out.paragraph("本系统未启用综合执法。")
    else:
        out.paragraph(f"本月登记执法线索{enf['registered']}件，立案{enf['filed']}件，作出行政处罚决定"
                              f"{enf['decided']}件，罚款合计{enf['fines']:,.2f}元。按“721”工作法，"
                              + "，".join(f"{k}{v}件" for k, v in enf["split"].items()) + "。")  # fmt: skip
    out.picture(_chart("bar", list((enf or {}).get("split", {})), list((enf or {}).get("split", {}).values()),
                         CHARTS[5], xlabel="件"))  # fmt: skip
    out.signature(f"{region.name}城市管理指挥中心", f"{year}年{month}月")


def storage_name(region: Region, year: int, month: int) -> str:
    return f"reports/monthly/{region.code}/{year}-{month:02d}.docx"


def monthly_job(today: date | None = None) -> list[str]:
    """Last month's report for every district, kept in the media storage (replaced if it exists)."""
    today = today or timezone.localdate()
    year, month = _shift_month(today.year, today.month, -1)
    written = []
    for district in Region.objects.filter(level="district").order_by("code"):
        name = storage_name(district, year, month)
        if default_storage.exists(name):
            default_storage.delete(name)
        written.append(default_storage.save(name, ContentFile(build(district, year, month))))
    return written
