"""Demo city, organisation part: Kaifeng (开封市, 410200), its districts, departments and one user per role.

Districts and their boundaries come from the DataV file shipped in `data/geo/` (GCJ-02). Streets, communities
and grids are added by `chengguan.grids.demo`, which runs after this module.
"""

import json
from pathlib import Path

from chengguan.core.management.commands.demo import DEMO_PASSWORD

from .models import Department, Region, Role, RoleAssignment, User

GEO_DIR = Path(__file__).parent / "data" / "geo"
CITY_CODE = "410200000000"
URBAN_DISTRICTS = ["410202", "410203", "410204", "410205"]  # 龙亭, 顺河, 鼓楼, 禹王台

# (code, name, kind, parent code, home region adcode or None)
DEPARTMENTS = [
    ("KF-CGJ", "开封市城市管理局", "bureau", None, None),
    ("KF-CENTRE", "开封市数字化城市管理监督指挥中心", "centre", "KF-CGJ", None),
    ("KF-LEGAL", "市城市管理局法制科", "other", "KF-CGJ", None),
    ("KF-ZD", "开封市城市管理综合执法支队", "brigade", "KF-CGJ", None),
    ("KF-ZD-LT", "龙亭区城市管理执法大队", "brigade", "KF-ZD", "410202"),
    ("KF-ZD-LT-1", "龙亭区执法大队一中队", "squad", "KF-ZD-LT", "410202"),
    ("KF-ZD-SH", "顺河回族区城市管理执法大队", "brigade", "KF-ZD", "410203"),
    ("KF-ZD-GL", "鼓楼区城市管理执法大队", "brigade", "KF-ZD", "410204"),
    ("KF-ZD-YWT", "禹王台区城市管理执法大队", "brigade", "KF-ZD", "410205"),
    ("KF-LT-CGJ", "龙亭区城市管理局", "bureau", "KF-CGJ", "410202"),
    ("KF-SH-CGJ", "顺河回族区城市管理局", "bureau", "KF-CGJ", "410203"),
    ("KF-GL-CGJ", "鼓楼区城市管理局", "bureau", "KF-CGJ", "410204"),
    ("KF-YWT-CGJ", "禹王台区城市管理局", "bureau", "KF-CGJ", "410205"),
    ("KF-WATER", "开封市供水总公司", "disposal", None, None),
    ("KF-WATER-NET", "供水总公司管网所", "disposal_unit", "KF-WATER", None),
    ("KF-SEWAGE", "开封市排水管理处", "disposal", None, None),
    ("KF-LIGHT", "开封市路灯管理处", "disposal", None, None),
    ("KF-ROADS", "开封市市政工程管理处", "disposal", None, None),
    ("KF-ROADS-1", "市政工程管理处道路养护一所", "disposal_unit", "KF-ROADS", None),
    ("KF-SANIT", "开封市环境卫生管理处", "disposal", None, None),
    ("KF-SANIT-LT", "环卫处龙亭区清扫队", "disposal_unit", "KF-SANIT", "410202"),
    ("KF-SANIT-SH", "环卫处顺河区清扫队", "disposal_unit", "KF-SANIT", "410203"),
    ("KF-GREEN", "开封市园林绿化管理处", "disposal", None, None),
    ("KF-TRAFFIC", "开封市公安局交通警察支队", "police", None, None),
    ("KF-GAS", "开封市燃气有限公司", "disposal", None, None),
    ("KF-POWER", "国网开封供电公司", "disposal", None, None),
    ("KF-TELECOM", "中国电信开封分公司", "disposal", None, None),
    ("KF-UNICOM", "中国联通开封分公司", "disposal", None, None),
    ("KF-HOUSING", "开封市住房和城乡建设局", "disposal", None, None),
    ("KF-PSB", "开封市公安局", "police", None, None),
]

# role → (region scope: a district adcode, "city", or None for department scope only; department code; name)
DEMO_USERS = {
    Role.SUPERVISOR: ("410202", "KF-CENTRE", "王监督"),
    Role.OPERATOR: ("city", "KF-CENTRE", "李受理"),
    Role.SHIFT_LEADER: ("city", "KF-CENTRE", "张值班"),
    Role.DISPATCHER: ("city", "KF-CENTRE", "赵派遣"),
    Role.DEPARTMENT_HANDLER: (None, "KF-SANIT", "刘环卫"),
    Role.OFFICER: ("410202", "KF-ZD-LT", "陈执法"),
    Role.ASSISTANT: ("410202", "KF-ZD-LT", "周协管"),
    Role.LEGAL_REVIEWER: ("city", "KF-LEGAL", "吴法制"),
    Role.LEADER: ("city", "KF-CGJ", "郑局长"),
    Role.ADMIN: ("city", "KF-CGJ", "系统管理员"),
}


def district_feature_map() -> dict[str, dict]:
    data = json.loads((GEO_DIR / "kaifeng_410200_districts.json").read_text(encoding="utf-8"))
    return {str(f["properties"]["adcode"]): f for f in data["features"]}


def load(*, stdout) -> None:
    city, created = Region.objects.get_or_create(
        code=CITY_CODE, defaults={"name": "开封市", "level": Region.Level.CITY, "population": 4_824_000}
    )
    if not created:
        stdout.write("demo organisation already loaded; reusing it")
        return
    features = district_feature_map()
    populations = {"410202": 410_000, "410203": 330_000, "410204": 230_000, "410205": 190_000}
    districts = {}
    for adcode, feature in features.items():
        districts[adcode] = Region.objects.create(
            code=adcode + "000000",
            name=feature["properties"]["name"],
            level=Region.Level.DISTRICT,
            parent=city,
            population=populations.get(adcode),
            boundary=feature["geometry"],
        )
    departments = {}
    for code, name, kind, parent, region_code in DEPARTMENTS:
        dept = Department.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=departments.get(parent),
            region=districts[region_code] if region_code else city,
        )
        dept.regions_served.set([districts[region_code]] if region_code else [city])
        departments[code] = dept
    for role, (region_code, dept_code, full_name) in DEMO_USERS.items():
        user = User.objects.create_user(
            username=role.value,
            password=DEMO_PASSWORD,
            full_name=full_name,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        region = city if region_code == "city" else districts.get(region_code)
        RoleAssignment.objects.create(user=user, role=role, region=region, department=departments[dept_code])
    stdout.write(f"demo organisation: {Region.objects.count()} regions, {len(departments)} departments")
