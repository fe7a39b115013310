"""Demo routing rules for Kaifeng: a city-wide department for every matter, and district overrides.

Runs after `chengguan.org.demo` (departments KF-*) and `chengguan.grids.demo`; idempotent.
"""

from chengguan.org.models import Department, Region

from .models import MatterType, RoutingRule

CITY_CODE = "410200000000"

# Default department per major class, then exceptions per matter code (a code or an inclusive range).
BY_MAJOR = {
    "01": "KF-ROADS",
    "02": "KF-TRAFFIC",
    "03": "KF-SANIT",
    "04": "KF-GREEN",
    "05": "KF-HOUSING",
    "06": "KF-SANIT",
    "07": "KF-ZD",
    "08": "KF-HOUSING",
    "09": "KF-ZD",
    "10": "KF-SANIT",
}
EXCEPTIONS = {
    "KF-WATER": ["01001", "01019", "01024", "01025", "01063", "01068"],
    "KF-SEWAGE": [("01002", "01004"), "01018", "01072", "01073", "06023", "06025", "06026", "06030", "06046"],
    "KF-POWER": ["01005", "01017", "01028", "01029", "01030", "01047", "01048"],
    "KF-LIGHT": ["01006", ("01037", "01039"), "01060"],
    "KF-TELECOM": [("01007", "01009"), "01027", "01031", "01062", "10002"],
    "KF-GAS": ["01011", "01021", "01036", "01049", "01057"],
    "KF-PSB": ["01012", "01050", "01051", "01066"],
    "KF-GREEN": ["01014", "06017", "06018", "06021", "06022", "06045", "06047"],
    "KF-TRAFFIC": ["01015", "09009", "09018"],
    "KF-HOUSING": ["01010", "01061", "01076"],
    "KF-ROADS": [("02006", "02009"), "02042", "02044", "06013", "06016", ("06048", "06052"), "08003"],
    "KF-CGJ": [("03006", "03008")],
    "KF-ZD": [("06001", "06009"), ("06027", "06029"), ("06038", "06040"), "06043", "06044"],
}
# (district adcode, department code, matter codes): the district's own units take these over.
DISTRICT_OVERRIDES = [
    ("410202", "KF-SANIT-LT", ["06010", "06011", "06012", "06042"]),
    ("410203", "KF-SANIT-SH", ["06010", "06011", "06012", "06042"]),
    ("410202", "KF-ZD-LT", ["09001", "09005", "09006"]),
    ("410203", "KF-ZD-SH", ["09001", "09005", "09006"]),
    ("410204", "KF-ZD-GL", ["09001", "09005", "09006"]),
    ("410205", "KF-ZD-YWT", ["09001", "09005", "09006"]),
    ("410202", "KF-LT-CGJ", ["07001", "07002"]),
    ("410203", "KF-SH-CGJ", ["07001", "07002"]),
    ("410204", "KF-GL-CGJ", ["07001", "07002"]),
    ("410205", "KF-YWT-CGJ", ["07001", "07002"]),
]


def _expand(items) -> list[str]:
    codes = []
    for item in items:
        if isinstance(item, tuple):
            first, last = item
            codes += [f"{first[:2]}{n:03d}" for n in range(int(first[2:]), int(last[2:]) + 1)]
        else:
            codes.append(item)
    return codes


def city_default(code: str) -> str:
    for dept, items in EXCEPTIONS.items():
        if code in _expand(items):
            return dept
    return BY_MAJOR.get(code[:2], "KF-CGJ")


def load(*, stdout):
    city = Region.objects.filter(code=CITY_CODE).first()
    departments = {d.code: d for d in Department.objects.filter(code__startswith="KF-")}
    if city is None or not departments:
        stdout.write("demo routing: skipped (no Kaifeng organisation)")
        return
    districts = {r.adcode: r for r in Region.objects.filter(parent=city)}
    matters = {m.code: m for m in MatterType.objects.filter(is_active=True)}
    wanted = [(m, city, departments.get(city_default(code))) for code, m in matters.items()]
    for adcode, dept_code, codes in DISTRICT_OVERRIDES:
        wanted += [
            (matters[c], districts.get(adcode), departments.get(dept_code)) for c in codes if c in matters
        ]
    existing = set(RoutingRule.objects.filter(unit_grid=None).values_list("matter_id", "region_id"))
    new = [
        RoutingRule(matter=matter, region=region, department=dept)
        for matter, region, dept in wanted
        if region is not None and dept is not None and (matter.pk, region.pk) not in existing
    ]
    RoutingRule.objects.bulk_create(new)
    stdout.write(f"demo routing: {len(new)} rules added, {RoutingRule.objects.count()} in all")
