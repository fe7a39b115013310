"""Shipped defaults: filing/closing conditions, time limits and the legacy-code crosswalk.

They are *defaults*, loaded once by a data migration and then edited in admin (docs/catalogue.md). The loader
is idempotent and never overwrites a row an admin has already changed: it only creates what is missing.
"""

import csv

from .loader import DATA_DIR

LEGACY_CROSSWALK_CSV = DATA_DIR / "legacy_crosswalk.csv"

# (step, severity, area class, amount, unit); "" = any. The handle step is the only one that varies by
# severity and area class by default. Grounding (reference/standards.md §4.4): eGova defaults verification and
# check to 30 min, Ningbo 120, street-level check 60; handling limits of 0.5–48 working hours chosen by
# severity and area class are typical local practice. The numbers below sit in that range.
DEFAULT_TIME_LIMITS = [
    ("accept", "", "", 30, "minutes"),
    ("verify", "", "", 60, "minutes"),
    ("file", "", "", 30, "minutes"),
    ("dispatch", "", "", 30, "minutes"),
    ("check", "", "", 60, "minutes"),
    ("close", "", "", 30, "minutes"),
    ("handle", "", "", 3, "working_days"),
    ("handle", "urgent", "", 4, "working_hours"),
    ("handle", "urgent", "A", 2, "working_hours"),
    ("handle", "urgent", "B", 4, "working_hours"),
    ("handle", "urgent", "C", 8, "working_hours"),
    ("handle", "pressing", "", 1, "working_days"),
    ("handle", "pressing", "A", 8, "working_hours"),
    ("handle", "pressing", "B", 1, "working_days"),
    ("handle", "pressing", "C", 2, "working_days"),
    ("handle", "normal", "", 3, "working_days"),
    ("handle", "normal", "A", 2, "working_days"),
    ("handle", "normal", "B", 3, "working_days"),
    ("handle", "normal", "C", 5, "working_days"),
]

GENERIC_FILING = "经核实，{name}问题存在"
GENERIC_CLOSING = "问题已处置完毕，现场核查无误"
COMPONENT_FILING = "{component}破损、丢失、移位、污损或功能异常，经核实问题存在"
COMPONENT_CLOSING = "{component}已修复、补装或恢复正常功能，现场核查无误"

_MANHOLE = [
    (
        "井盖（箅子）丢失、严重破损或移位，存在安全隐患",
        "已设置警示并补装或更换，井盖平稳、无安全隐患",
        "urgent",
    ),
    (
        "井盖（箅子）破损、松动有响动、凹陷或与路面高差明显",
        "已修复或更换，井盖平稳无响动，与路面平顺",
        "pressing",
    ),
]
_LAMP = [
    ("灯杆倾斜、灯具脱落或线缆外露，存在安全隐患", "隐患已排除，灯杆、灯具牢固，无线缆外露", "urgent"),
    ("单盏或连续多盏灯不亮、亮灯不正常", "已修复，灯具正常亮灯", "normal"),
    ("灯杆、灯具破损、污损", "已修复或清洁，外观完好", "normal"),
]

# matter code → [(filing condition, closing condition, default severity)]
SPECIFIC_CONDITIONS: dict[str, list[tuple[str, str, str]]] = {
    "06010": [
        ("道路、广场、绿地等公共场所有暴露垃圾，未及时清理", "垃圾已清除，现场干净无残留", "normal"),
    ],
    "06011": [
        ("公共场所积存垃圾、渣土，堆放时间长或量大", "积存垃圾渣土已清运，现场干净", "normal"),
    ],
    "06012": [
        ("道路、人行道有明显污物、污渍，保洁不到位", "道路已清扫保洁，路面干净", "normal"),
    ],
    "06013": [
        ("路面塌陷、大面积坑槽，危及通行安全", "已设置警示并修复，路面平整、通行安全", "urgent"),
        ("路面坑槽、破损、沉陷、拱起", "路面已修复平整", "normal"),
    ],
    "06014": [
        ("运输车辆遗撒（洒）渣土、砂石、泥浆等，污染路面", "遗撒物已清除，路面干净", "pressing"),
    ],
    "06020": [
        ("露天焚烧垃圾、树叶、秸秆等", "焚烧已制止，明火已熄灭，残留物已清理", "pressing"),
    ],
    "06036": [
        ("公共场所乱堆杂物，影响市容或通行", "杂物已清除，现场恢复整洁", "normal"),
    ],
    "06037": [
        ("公共场所有动物尸体", "动物尸体已清理并消杀，现场干净", "pressing"),
    ],
    "06033": [
        ("公共场所发现丢弃的医疗废物", "医疗废物已按规定收集处置，现场已消杀", "urgent"),
    ],
    "06042": [
        ("垃圾站（箱、桶）垃圾满溢或散落在容器外", "垃圾已清运，容器周边干净、无满溢", "pressing"),
    ],
    "06001": [
        ("在公共场所或建筑物上私自搭建建筑物、构筑物", "违法搭建已拆除或依法移交处理", "normal"),
    ],
    "06007": [
        ("临街沿街晾晒、吊挂衣物等，影响市容", "晾挂物已收回，现场整洁", "normal"),
    ],
    "07001": [
        ("在建筑物、构筑物、树木、公共设施上张贴、涂写、刻画小广告", "小广告已清除，无明显痕迹", "normal"),
    ],
    "09001": [
        ("无照流动摊贩沿街兜售、经营", "游商已劝离，现场无经营行为", "normal"),
    ],
    "09005": [
        ("临街店铺超出门窗、外墙经营或作业", "经营已退回店内，现场恢复整洁", "normal"),
    ],
    "09006": [
        ("占用道路、桥梁、广场等公共场所摆摊设点经营", "摊点已撤离或规范到指定区域，现场恢复通行", "normal"),
    ],
    "09009": [
        ("机动车在人行道、盲道或禁停区域乱停放", "车辆已驶离或依法处理，通行恢复", "normal"),
    ],
    "09010": [
        ("非机动车在公共场所乱停乱放，影响通行或市容", "车辆已规范停放，通行恢复", "normal"),
    ],
    "09012": [
        ("消防通道被占用、堵塞", "占用物已清除，消防通道畅通", "urgent"),
    ],
    "10001": [
        ("道路、桥梁、人行道积雪或结冰，影响通行安全", "积雪、冰已清除或已撒布融雪材料，通行安全", "urgent"),
    ],
    "10002": [
        ("架空线缆脱落、垂落，影响通行或存在安全隐患", "线缆已规整或清除，隐患已排除", "urgent"),
    ],
    "02014": [
        ("交通信号灯不亮、损坏或显示异常", "信号灯已修复，显示正常", "urgent"),
    ],
    "01037": _LAMP,
    "01038": _LAMP[1:],
    "01039": _LAMP[1:],
}


def conditions_for(
    matter_code: str, matter_name: str, component_name: str | None
) -> list[tuple[str, str, str]]:
    if matter_code in SPECIFIC_CONDITIONS:
        return SPECIFIC_CONDITIONS[matter_code]
    if component_name and ("井盖" in component_name or "箅子" in component_name):
        return _MANHOLE
    if component_name:
        return [
            (
                COMPONENT_FILING.format(component=component_name),
                COMPONENT_CLOSING.format(component=component_name),
                "normal",
            )
        ]
    return [(GENERIC_FILING.format(name=matter_name), GENERIC_CLOSING, "normal")]


def load_defaults(MatterType, FilingCondition, TimeLimit, LegacyCode) -> dict[str, int]:
    """Create the shipped defaults that are missing (works with historical models in a migration)."""
    created = {"conditions": 0, "time_limits": 0, "legacy_codes": 0}
    has_conditions = set(FilingCondition.objects.values_list("matter_id", flat=True))
    conditions = []
    for matter in MatterType.objects.select_related("component_type").order_by("code"):
        if matter.pk in has_conditions:
            continue
        component_name = matter.component_type.name if matter.component_type_id else None
        for i, (text, closing, severity) in enumerate(
            conditions_for(matter.code, matter.name, component_name), 1
        ):
            conditions.append(
                FilingCondition(
                    matter=matter,
                    code=f"{matter.code}{i:02d}",
                    text=text,
                    closing_text=closing,
                    default_severity=severity,
                )
            )
    FilingCondition.objects.bulk_create(conditions)
    created["conditions"] = len(conditions)
    for step, severity, area_class, amount, unit in DEFAULT_TIME_LIMITS:
        _obj, was_created = TimeLimit.objects.get_or_create(
            step=step,
            filing_condition=None,
            severity=severity,
            area_class=area_class,
            defaults={"amount": amount, "unit": unit, "note": "default"},
        )
        created["time_limits"] += was_created
    matters = dict(MatterType.objects.values_list("code", "pk"))
    existing = set(LegacyCode.objects.values_list("kind", "code"))
    with LEGACY_CROSSWALK_CSV.open(encoding="utf-8", newline="") as fh:
        legacy = [
            LegacyCode(
                kind=row["kind"],
                code=row["code"],
                name=row["name"],
                major_name=row["major_name"],
                matter_id=matters.get(row["new_code"]),
                note=row["note"][:200],
            )
            for row in csv.DictReader(fh)
            if (row["kind"], row["code"]) not in existing
        ]
    LegacyCode.objects.bulk_create(legacy)
    created["legacy_codes"] = len(legacy)
    return created
