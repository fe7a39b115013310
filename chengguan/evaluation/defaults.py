"""Shipped defaults of the evaluation configuration (standards.md §5.2, defects fixed), loaded by migration.

Fixes against the public implementation (S-UNI):
- 监督员: 漏报率 scores as 100 − rate (lower is better), not the rate itself; the workload (有效上报数 per month
  against a norm) is a term, so a supervisor who reports nothing cannot rank first on rates alone.
- 受理员: the 核实 rate was counted twice; here the check-dispatch term is replaced by 按期受理率, because the
  check task is sent automatically when a department replies (nothing for an operator to be late with).
- 值班长: the first term is 按时立案率 (the SQL used 按时结案率).
- 派遣员: 派遣数 is scored by a ladder, not multiplied as a raw count.
- 区域: weights 10/20/30/40 (the published 10/20/30/10 sums to 70 %); only 监督举报率 is inverted.
"""

# key → (name, direction, per unit grid, [(bound, score)], floor score)
LADDERS = {
    "accept_count": (
        "受理数分值",
        "at_least",
        False,
        [(2001, 100), (1201, 90), (501, 75), (301, 60), (101, 40)],
        0,
    ),
    "dispatch_count": (
        "派遣数分值",
        "at_least",
        False,
        [(2001, 100), (1201, 90), (501, 75), (301, 60), (101, 40)],
        0,
    ),
    "department_cases": (
        "专业部门立案数分值",
        "at_most",
        False,
        [(50, 100), (100, 90), (200, 75), (500, 60), (1000, 40)],
        0,
    ),
    # 有效上报数 against a norm (GB/T 30428.4 scores a supervisor's valid reports, not only their share): per
    # month, ≥ 60 (about 3 a working day) → 100 … at least one → 40, none → 0. Cities edit the steps.
    "supervisor_valid_reports": (
        "监督员有效上报数分值（每月）",
        "at_least",
        False,
        [(60, 100), (45, 90), (30, 75), (15, 60), (1, 40)],
        0,
    ),
    "region_filed_per_grid": (
        "区域立案数分值（一类区域，每单元网格）",
        "at_most",
        True,
        [(0, 100), (2, 90), (4, 75), (6, 60), (8, 40)],
        0,
    ),
    "region_filed_per_grid_class2": (
        "区域立案数分值（二类区域，每单元网格）",
        "at_most",
        True,
        [(0, 100), (3, 90), (5, 75), (7, 60), (9, 40)],
        0,
    ),
}

# party → (name, [(indicator, weight, scoring, ladder key or None)])
SCHEMES = {
    "supervisor": (
        "监督员综合指标",
        [
            ("valid", 20, "ladder", "supervisor_valid_reports"),
            ("valid_rate", 30, "rate", None),
            ("missed_rate", 15, "inverted", None),
            ("verify_on_time_rate", 15, "rate", None),
            ("check_on_time_rate", 20, "rate", None),
        ],
    ),
    "operator": (
        "受理员综合指标",
        [
            ("decisions", 25, "ladder", "accept_count"),
            ("send_verify_on_time_rate", 40, "rate", None),
            ("accept_on_time_rate", 35, "rate", None),
        ],
    ),
    "shift_leader": (
        "值班长综合指标",
        [
            ("file_on_time_rate", 25, "rate", None),
            ("file_accuracy_rate", 40, "rate", None),
            ("close_on_time_rate", 35, "rate", None),
        ],
    ),
    "dispatcher": (
        "派遣员综合指标",
        [
            ("dispatched", 20, "ladder", "dispatch_count"),
            ("dispatch_on_time_rate", 40, "rate", None),
            ("dispatch_accuracy_rate", 40, "rate", None),
        ],
    ),
    "department": (
        "专业部门综合指标",
        [
            ("need_handle", 10, "ladder", "department_cases"),
            ("close_rate", 30, "rate", None),
            ("handle_on_time_rate", 30, "rate", None),
            ("rework_rate", 30, "inverted", None),
        ],
    ),
    "region": (
        "区域综合指标",
        [
            ("public_report_rate", 10, "inverted", None),
            ("filed", 20, "ladder", "region_filed_per_grid"),
            ("close_rate", 30, "rate", None),
            ("close_on_time_rate", 40, "rate", None),
        ],
    ),
}

GRADES = [("A", 90), ("B", 75), ("C", 60), ("D", 40), ("E", 0)]

# Sample assessment items (Hongshan's three levels: 六个零容忍, 十个严管理, 常规综合执法工作).
ITEMS = [
    ("ZR-01", "六个零容忍", "主次干道出现暴露垃圾未及时清理", -2, "street"),
    ("ZR-02", "六个零容忍", "违规占道经营、店外经营回潮", -2, "street"),
    ("ZR-03", "六个零容忍", "新增违法建设未及时发现制止", -5, "street"),
    ("YG-01", "十个严管理", "红灯超时案件经催办仍未处置", -1, "both"),
    ("YG-02", "十个严管理", "案件返工（核查不通过）", -0.5, "department"),
    ("YG-03", "十个严管理", "门前三包责任落实不到位", -1, "street"),
    ("CG-01", "常规综合执法工作", "专项整治任务按期完成", 2, "both"),
    ("CG-02", "常规综合执法工作", "市级以上表彰或经验推广", 5, "both"),
]


def load(apps) -> None:
    """Create what is missing (idempotent; admins' edits are kept)."""
    Ladder = apps.get_model("evaluation", "Ladder")
    LadderStep = apps.get_model("evaluation", "LadderStep")
    Scheme = apps.get_model("evaluation", "Scheme")
    SchemeTerm = apps.get_model("evaluation", "SchemeTerm")
    Grade = apps.get_model("evaluation", "Grade")
    AssessmentSettings = apps.get_model("evaluation", "AssessmentSettings")
    AssessmentItem = apps.get_model("evaluation", "AssessmentItem")
    ladders = {}
    for key, (name, direction, per_grid, steps, floor) in LADDERS.items():
        ladder, created = Ladder.objects.get_or_create(
            key=key,
            defaults={"name": name, "direction": direction, "per_unit_grid": per_grid, "floor_score": floor},
        )
        if created:
            LadderStep.objects.bulk_create([LadderStep(ladder=ladder, bound=b, score=s) for b, s in steps])
        ladders[key] = ladder
    for party, (name, terms) in SCHEMES.items():
        scheme, created = Scheme.objects.get_or_create(party=party, defaults={"name": name})
        if created:
            SchemeTerm.objects.bulk_create(
                [
                    SchemeTerm(
                        scheme=scheme,
                        indicator=indicator,
                        weight=weight,
                        scoring=scoring,
                        ladder=ladders[ladder] if ladder else None,
                        position=i,
                    )
                    for i, (indicator, weight, scoring, ladder) in enumerate(terms)
                ]
            )
    if not Grade.objects.exists():
        Grade.objects.bulk_create([Grade(letter=letter, min_score=m) for letter, m in GRADES])
    if not AssessmentSettings.objects.exists():
        AssessmentSettings.objects.create()
    for code, category, name, points, target in ITEMS:
        AssessmentItem.objects.get_or_create(
            code=code, defaults={"category": category, "name": name, "points": points, "applies_to": target}
        )
