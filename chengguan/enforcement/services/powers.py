"""Import and export of the power & responsibility list and the discretion benchmarks as CSV."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError
from chengguan.core.office.xlsx import csv_safe, csv_unquote

from ..models import (
    AmountBasis,
    DiscretionBand,
    DiscretionBenchmark,
    DiscretionLevel,
    PartyType,
    PowerItem,
    PowerLevel,
    PowerType,
)

POWER_COLUMNS = [
    "code",
    "name",
    "sub_item",
    "power_type",
    "sub_type",
    "domain",
    "legal_basis",
    "law",
    "article",
    "paragraph",
    "violated_provision",
    "penalty_text",
    "implementing_body",
    "handling_unit",
    "level",
    "responsibilities",
    "accountability",
    "supervision_channel",
    "time_limit",
    "limitation_years",
    "first_violation_exempt",
    "is_public",
    "effective_from",
    "effective_to",
    "history",
]
SAMPLE_COLUMNS = {"no", "domain", "item", "power_type", "legal_basis", "penalty"}

# Chinese labels as they appear in published lists, mapped to our codes.
POWER_TYPE_WORDS = {
    "行政许可": "licensing",
    "许可": "licensing",
    "行政处罚": "penalty",
    "处罚": "penalty",
    "行政强制": "coercion",
    "强制": "coercion",
    "行政征收": "levy",
    "征收": "levy",
    "行政给付": "benefit",
    "给付": "benefit",
    "行政检查": "inspection",
    "检查": "inspection",
    "行政监督": "inspection",
    "行政确认": "confirmation",
    "确认": "confirmation",
    "行政奖励": "reward",
    "奖励": "reward",
    "行政裁决": "adjudication",
    "裁决": "adjudication",
    "其他": "other",
    "其他行政权力": "other",
}
LEVEL_WORDS = {"市": "city", "市级": "city", "区": "district", "区级": "district", "县": "district",
               "街道": "street", "乡镇": "street"}

# Abbreviations used in the sample catalogue → the title of the law (shown on public pages and decisions).
LAW_TITLES = {
    "城乡规划法": "《中华人民共和国城乡规划法》",
    "市容条例": "《城市市容和环境卫生管理条例》",
    "道路条例": "《城市道路管理条例》",
    "绿化条例": "《城市绿化条例》",
    "大气法": "《中华人民共和国大气污染防治法》",
    "固废法": "《中华人民共和国固体废物污染环境防治法》",
    "噪声法": "《中华人民共和国噪声污染防治法》",
    "排水条例": "《城镇排水与污水处理条例》",
    "无障碍法": "《中华人民共和国无障碍环境建设法》",
    "燃气条例": "《城镇燃气管理条例》",
    "道交法": "《中华人民共和国道路交通安全法》",
    "BJSR": "《北京市市容环境卫生条例》",
    "SHSR": "《上海市市容环境卫生管理条例》",
    "BJLH": "《北京市绿化条例》",
    "BJLJ": "《北京市生活垃圾管理条例》",
    "157号令": "《城市生活垃圾管理办法》",
    "139号令": "《城市建筑垃圾管理规定》",
    "城市生活垃圾管理办法 (建设部令157号)": "《城市生活垃圾管理办法》",
    "城市建筑垃圾管理规定 (建设部令139号)": "《城市建筑垃圾管理规定》",
}

DEFAULT_RESPONSIBILITIES = (
    "1. 立案责任：对巡查发现、投诉举报、移送的违法线索及时核查，符合立案条件的报负责人批准立案。\n"
    "2. 调查取证责任：两名以上持证执法人员调查取证，出示执法证件，制作笔录，依法回避。\n"
    "3. 审查责任：审查事实、证据、程序、法律适用和裁量基准运用，提出处理意见。\n"
    "4. 告知责任：作出决定前告知拟处罚的事实、理由、依据及陈述、申辩、要求听证的权利。\n"
    "5. 决定责任：依法作出处罚或者不予处罚决定，重大案件经法制审核、集体讨论。\n"
    "6. 送达责任：当场交付或者七日内依法送达行政处罚决定书。\n"
    "7. 执行责任：督促履行，逾期不履行的依法加处罚款、强制执行或者申请人民法院强制执行。\n"
    "8. 其他：法律法规规章规定应履行的其他责任。"
)
DEFAULT_ACCOUNTABILITY = (
    "不履行或者不正确履行职责，有下列情形之一的依法追责：对违法行为不依法立案查处；超越职权或者违反法定程序；"
    "擅自改变处罚种类、幅度；使用或者损毁查封、扣押财物；截留、私分罚没款物；索取、收受他人财物；"
    "应当移送司法机关而不移送、以罚代刑；其他玩忽职守、滥用职权、徇私舞弊的情形。"
)

_BASIS_RE = re.compile(r"^(?P<law>.+?)\s+(?P<article>\d+)(?P<rest>.*)$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    codes: list = field(default_factory=list)

    def __str__(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def parse_legal_basis(text: str) -> dict:
    """Split "城乡规划法 64 (40)" or "大气法 118 ¶1" into law, article, paragraph and violated provision."""
    first = re.sub(r"\[[^\]]*\]", "", text.split(";")[0]).strip()
    first = re.sub(r"^(北京|上海|national:?)\s+", "", first)
    match = _BASIS_RE.match(first)
    if not match:
        return {"law": LAW_TITLES.get(first, first), "article": "", "paragraph": "", "violated_provision": ""}
    law, article, rest = match["law"].strip(), match["article"], match["rest"]
    paragraph = violated = ""
    if m := re.match(r"^\s*¶\s*(\d+)", rest):
        paragraph = f"第{m[1]}款"
    elif m := re.match(r"^\((\d+)\)", rest):
        paragraph = f"第{m[1]}项"
    elif m := re.match(r"^\s+\((.+)\)\s*$", rest):
        violated = m[1]
    return {
        "law": LAW_TITLES.get(law, law),
        "article": f"第{article}条",
        "paragraph": paragraph,
        "violated_provision": violated,
    }


def _power_type(text: str, row: int) -> tuple[str, str]:
    value = (text or "").strip()
    if value in PowerType.values:
        return value, ""
    first = re.split(r"[/、,，]", value)[0].strip()
    if first in POWER_TYPE_WORDS:
        return POWER_TYPE_WORDS[first], value if first != value else ""
    raise ValidationError(_("row %(row)s: unknown power type %(value)s") % {"row": row, "value": value}, field="power_type")


def _bool(value: str, default: bool) -> bool:
    value = (value or "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "y", "是", "√"}


def _date(value: str, row: int, name: str):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("row %(row)s: %(column)s must be a date like 2026-01-31") % {"row": row, "column": name}, field=name) from exc


def _read(source) -> list[dict]:
    text = source.read() if hasattr(source, "read") else source
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = text.decode("gb18030")
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [{k: csv_unquote(v) for k, v in row.items()} for row in rows]


def _sample_row_to_item(row: dict, n: int) -> dict:
    ptype, sub_type = _power_type(row["power_type"], n)
    prefix = {"penalty": "CF", "coercion": "QZ"}.get(ptype, "QT")
    try:
        number = int(row["no"])
    except ValueError as exc:
        raise ValidationError(_("row %(row)s: no must be a number") % {"row": n}, field="no") from exc
    parsed = parse_legal_basis(row["legal_basis"])
    return {
        "code": f"CG-{prefix}-{number:03d}",
        "name": row["item"].strip(),
        "power_type": ptype,
        "sub_type": sub_type,
        "domain": row["domain"].strip(),
        "legal_basis": row["legal_basis"].strip(),
        "penalty_text": row["penalty"].strip(),
        "sort_order": number,
        **parsed,
    }


def _canonical_row_to_item(row: dict, n: int) -> dict:
    code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
    if not code:
        raise ValidationError(_("row %(row)s: code is required") % {"row": n}, field="code")
    if not name:
        raise ValidationError(_("row %(row)s: name is required") % {"row": n}, field="name")
    ptype, sub_type = _power_type(row.get("power_type", ""), n)
    level = (row.get("level") or "city").strip()
    level = LEVEL_WORDS.get(level, level)
    if level not in PowerLevel.values:
        raise ValidationError(_("row %(row)s: level must be city, district or street") % {"row": n}, field="level")
    legal_basis = (row.get("legal_basis") or "").strip()
    if not legal_basis:
        raise ValidationError(_("row %(row)s: legal_basis is required") % {"row": n}, field="legal_basis")
    years = (row.get("limitation_years") or "2").strip()
    if years not in {"2", "5"}:
        raise ValidationError(_("row %(row)s: limitation_years must be 2 or 5") % {"row": n}, field="limitation_years")
    item = {
        "code": code,
        "name": name,
        "power_type": ptype,
        "sub_type": (row.get("sub_type") or "").strip() or sub_type,
        "level": level,
        "legal_basis": legal_basis,
        "limitation_years": int(years),
        "first_violation_exempt": _bool(row.get("first_violation_exempt"), False),
        "is_public": _bool(row.get("is_public"), True),
        "effective_from": _date(row.get("effective_from"), n, "effective_from"),
        "effective_to": _date(row.get("effective_to"), n, "effective_to"),
    }
    for key in (
        "sub_item", "domain", "law", "article", "paragraph", "violated_provision", "penalty_text",
        "implementing_body", "handling_unit", "responsibilities", "accountability", "supervision_channel",
        "time_limit",
    ):
        item[key] = (row.get(key) or "").strip()
    if not (item["law"] or item["article"]):
        item.update({k: v for k, v in parse_legal_basis(legal_basis).items() if not item.get(k)})
    return item


@transaction.atomic
def power_list_import(*, actor, source, implementing_body: str = "", supervision_channel: str = "") -> ImportResult:
    """Create or update items from a CSV (our export format, or the 77-item sample format). All or nothing:
    the first bad row raises a ValidationError naming the row and the field, and nothing is written."""
    rows = _read(source)
    if not rows:
        raise ValidationError(_("the file has no rows"), field="file")
    sample = set(rows[0]) >= SAMPLE_COLUMNS
    if not sample and not {"code", "name", "power_type", "legal_basis"} <= set(rows[0]):
        raise ValidationError(
            _("unknown columns: expected the power list export (code, name, power_type, legal_basis, ...) "
            "or the sample catalogue (no, domain, item, power_type, legal_basis, penalty)"),
            field="file",
        )
    result, seen = ImportResult(), set()
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        data = _sample_row_to_item(row, n) if sample else _canonical_row_to_item(row, n)
        if data["code"] in seen:
            raise ValidationError(_("row %(row)s: code %(code)s appears twice") % {"row": n, "code": data['code']}, field="code")
        seen.add(data["code"])
        for key, default in (
            ("implementing_body", implementing_body),
            ("supervision_channel", supervision_channel),
        ):
            if not data.get(key) and default:
                data[key] = default
        if data["power_type"] == "penalty":
            data.setdefault("responsibilities", "")
            data["responsibilities"] = data["responsibilities"] or DEFAULT_RESPONSIBILITIES
            data["accountability"] = data.get("accountability") or DEFAULT_ACCOUNTABILITY
        item = PowerItem.objects.filter(code=data["code"]).first()
        if item is None:
            item = PowerItem(**data)
            item.full_clean()
            item.save()
            result.created += 1
        else:
            changed = [k for k, v in data.items() if getattr(item, k) != v]
            if changed:
                for key in changed:
                    setattr(item, key, data[key])
                item.full_clean()
                item.save(update_fields=changed)
                result.updated += 1
            else:
                result.unchanged += 1
        result.codes.append(item.code)
    return result


def _history(item: PowerItem) -> str:
    return "; ".join(
        f"{t.effective_on:%Y-%m-%d} {t.get_kind_display()} {t.from_body}→{t.to_body} ({t.get_to_level_display()})"
        for t in item.transfers.all()
    )


def power_list_export(items=None) -> str:
    """The list as CSV (UTF-8 with BOM so that spreadsheet programs open it as Unicode)."""
    items = PowerItem.objects.all() if items is None else items
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=POWER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in items.prefetch_related("transfers"):
        row = {col: getattr(item, col, "") for col in POWER_COLUMNS if col != "history"}
        row["first_violation_exempt"] = "1" if item.first_violation_exempt else "0"
        row["is_public"] = "1" if item.is_public else "0"
        row["effective_from"] = item.effective_from.isoformat() if item.effective_from else ""
        row["effective_to"] = item.effective_to.isoformat() if item.effective_to else ""
        row["history"] = _history(item)
        writer.writerow({k: csv_safe(v) for k, v in row.items()})
    return out.getvalue()


BENCHMARK_COLUMNS = [
    "item_code",
    "party_type",
    "basis",
    "statutory_min",
    "statutory_max",
    "minor_exempt",
    "first_violation_exempt",
    "level",
    "amount_min",
    "amount_max",
    "criteria",
    "conditions",
]


def _decimal(value: str, n: int, name: str, *, required: bool = True) -> Decimal | None:
    value = (value or "").replace(",", "").strip()
    if not value:
        if required:
            raise ValidationError(_("row %(row)s: %(column)s is required") % {"row": n, "column": name}, field=name)
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValidationError(_("row %(row)s: %(column)s must be a number") % {"row": n, "column": name}, field=name) from exc
    if number < 0:
        raise ValidationError(_("row %(row)s: %(column)s must not be negative") % {"row": n, "column": name}, field=name)
    return number


@transaction.atomic
def benchmarks_import(*, actor, source) -> ImportResult:
    """One row per band; the bands of every benchmark named in the file replace its previous bands."""
    rows = _read(source)
    if not rows or not {"item_code", "level", "amount_min", "amount_max"} <= set(rows[0]):
        raise ValidationError("expected columns: " + ", ".join(BENCHMARK_COLUMNS), field="file")
    result, replaced = ImportResult(), set()
    for n, row in enumerate(rows, start=2):
        code = (row.get("item_code") or "").strip()
        item = PowerItem.objects.filter(code=code).first()
        if item is None:
            raise ValidationError(_("row %(row)s: no power item %(code)s") % {"row": n, "code": code}, field="item_code")
        party = (row.get("party_type") or "").strip()
        if party and party not in PartyType.values:
            raise ValidationError(_("row %(row)s: party_type must be person or organisation") % {"row": n}, field="party_type")
        basis = (row.get("basis") or "fixed").strip()
        if basis not in AmountBasis.values:
            raise ValidationError(_("row %(row)s: unknown basis %(value)s") % {"row": n, "value": basis}, field="basis")
        level = (row.get("level") or "").strip()
        if level not in DiscretionLevel.values:
            raise ValidationError(_("row %(row)s: level must be one of %(values)s") % {"row": n, "values": ", ".join(DiscretionLevel.values)}, field="level")
        low, high = _decimal(row.get("amount_min"), n, "amount_min"), _decimal(row.get("amount_max"), n, "amount_max")
        if high < low:
            raise ValidationError(_("row %(row)s: amount_max is below amount_min") % {"row": n}, field="amount_max")
        try:
            conditions = json.loads(row.get("conditions") or "{}")
        except json.JSONDecodeError as exc:
            raise ValidationError(_("row %(row)s: conditions must be JSON") % {"row": n}, field="conditions") from exc
        if not isinstance(conditions, dict):
            raise ValidationError(_("row %(row)s: conditions must be a JSON object") % {"row": n}, field="conditions")
        benchmark, created = DiscretionBenchmark.objects.update_or_create(
            item=item,
            party_type=party,
            defaults={
                "basis": basis,
                "statutory_min": _decimal(row.get("statutory_min"), n, "statutory_min", required=False) or 0,
                "statutory_max": _decimal(row.get("statutory_max"), n, "statutory_max", required=False),
                "minor_exempt": _bool(row.get("minor_exempt"), True),
                "first_violation_exempt": _bool(row.get("first_violation_exempt"), False),
            },
        )
        if benchmark.pk not in replaced:
            benchmark.bands.all().delete()
            replaced.add(benchmark.pk)
            result.created += created
            result.updated += not created
        DiscretionBand.objects.create(
            benchmark=benchmark,
            level=level,
            amount_min=low,
            amount_max=high,
            criteria=(row.get("criteria") or "").strip(),
            conditions=conditions,
        )
    return result


def benchmarks_export() -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=BENCHMARK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    bands = DiscretionBand.objects.select_related("benchmark__item").order_by(
        "benchmark__item__sort_order", "benchmark__item__code", "benchmark__party_type", "amount_min"
    )
    for band in bands:
        bm = band.benchmark
        writer.writerow(
            {k: csv_safe(v) for k, v in {
                "item_code": bm.item.code,
                "party_type": bm.party_type,
                "basis": bm.basis,
                "statutory_min": bm.statutory_min,
                "statutory_max": "" if bm.statutory_max is None else bm.statutory_max,
                "minor_exempt": "1" if bm.minor_exempt else "0",
                "first_violation_exempt": "1" if bm.first_violation_exempt else "0",
                "level": band.level,
                "amount_min": band.amount_min,
                "amount_max": band.amount_max,
                "criteria": band.criteria,
                "conditions": json.dumps(band.conditions, ensure_ascii=False) if band.conditions else "",
            }.items()}
        )
    return out.getvalue()
