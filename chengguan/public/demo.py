"""Demo for the public app: an Open311 key, the 12345 hotline with its category mappings and a webhook
subscriber (secrets printed once), work orders, and citizen reports from the portal (some closed and rated).

Idempotent: skipped when the demo hotline exists. Everything goes through the services with past times.
"""

import io
import random
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from chengguan.cases.evidence import attachment_create
from chengguan.cases.notify import silenced
from chengguan.cases.services import case_act
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.grids.geometry import to_shape
from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import Department, User

from .models import HotlineSystem
from .services.citizen import citizen_report, satisfaction_record
from .services.hotline import (
    hotline_category_map,
    hotline_system_create,
    subscriber_create,
    work_order_receive,
)
from .services.open311 import open311_key_create

SEED = 311
HOTLINE_CODE = "12345"
DEMO_WEBHOOK_URL = "https://hotline.example.cn/chengguan/webhook"
CATEGORIES = [  # the hotline's own codes → our matters
    ("HJWS-0101", "环境卫生-暴露垃圾", "06010"),
    ("HJWS-0102", "环境卫生-垃圾满溢", "06042"),
    ("SRZX-0201", "市容秩序-流动摊贩", "09006"),
    ("SZSS-0301", "市政设施-井盖破损", "01001"),
]
REPORTS = [  # (matter, description, end state, rating)
    ("06010", "小区门口垃圾堆了三天没人清理", "closed", "satisfied"),
    ("06042", "垃圾桶满了，周边散落垃圾", "closed", "basic"),
    ("09006", "学校门口流动摊贩占道，影响通行", "closed", "unsatisfied"),
    ("01001", "人行道上井盖破损，晚上很危险", "closed", None),
    ("06010", "河道边有人倾倒建筑垃圾", "dispatched", None),
    ("06042", "公园门口垃圾箱满溢", "accepted", None),
    ("09006", "夜市摊点占用盲道", "reported", None),
]


def _jpeg(rng) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(buf, "JPEG")
    buf.seek(0)
    buf.name, buf.size = "demo.jpg", len(buf.getvalue())
    return buf


def _places():
    places = []
    for rg in ResponsibilityGrid.objects.prefetch_related("supervisors").order_by("code"):
        supervisor = rg.supervisors.order_by("pk").first()
        if supervisor is None:
            continue
        for ug in rg.unit_grids.order_by("code")[:2]:
            point = to_shape(ug.geometry).representative_point()
            places.append(((point.x, point.y), supervisor))
    return places


class Walk:
    def __init__(self, case, at, rng):
        self.case, self.at, self.rng = case, at, rng

    def step(self, action, actor, **params):
        self.at += timedelta(minutes=self.rng.uniform(15, 240))
        self.at = min(self.at, timezone.now() - timedelta(minutes=1))
        self.case = case_act(actor=actor, case=self.case, action=action, at=self.at, **params)

    def to(self, target, users, supervisor, sanitation):
        if target == "reported":
            return
        self.step("accept", users["operator"])
        if target == "accepted":
            return
        condition = (
            FilingCondition.objects.filter(matter=self.case.matter, is_active=True).order_by("pk").first()
        )
        self.step("file", users["shift_leader"], filing_condition_id=condition.pk if condition else None)
        self.step("dispatch", users["dispatcher"], department_id=sanitation.pk)
        if target == "dispatched":
            return
        handler = users["department_handler"]
        photo = attachment_create(actor=handler, file=_jpeg(self.rng), kind="after", at=self.at).pk
        self.step("reply", handler, reason="已处置完毕", photos=[photo])
        self.step("check_pass", self.case.assignee or supervisor)
        self.step("close", users["shift_leader"])


def load(*, stdout) -> None:
    if HotlineSystem.objects.filter(code=HOTLINE_CODE).exists():
        stdout.write(
            "public demo already loaded (Open311 key and hotline secrets were printed the first time)"
        )
        return
    places = _places()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["operator", "shift_leader", "dispatcher", "department_handler"]
        )
    }
    sanitation = Department.objects.filter(code="KF-SANIT").first()
    if not places or len(users) < 4 or sanitation is None or not MatterType.objects.exists():
        stdout.write("public demo skipped: no demo city, grids or staff")
        return
    rng = random.Random(SEED)
    _key, raw = open311_key_create(name="demo-open311-client")
    stdout.write(f"Open311: API key for POST /open311/v2/requests.json: {raw}")
    system, token = hotline_system_create(
        code=HOTLINE_CODE,
        name="开封市12345政务服务便民热线",
        default_matter=MatterType.objects.get(code="06010"),
    )
    for code, name, matter in CATEGORIES:
        hotline_category_map(system=system, code=code, name=name, matter=MatterType.objects.get(code=matter))
    subscriber, secret = subscriber_create(system=system, name="12345 工单回传", url=DEMO_WEBHOOK_URL)
    stdout.write(f"hotline {HOTLINE_CODE}: API token for POST /api/v1/hotline/work-orders: {token}")
    stdout.write(f"hotline {HOTLINE_CODE}: webhook {subscriber.url} signing secret {secret}")

    now = timezone.now().replace(microsecond=0)
    made = rated = 0
    with silenced():
        for i, (matter, text, target, score) in enumerate(REPORTS):
            (lng, lat), supervisor = places[i % len(places)]
            at = now - timedelta(days=rng.uniform(3, 9))
            case = citizen_report(
                matter=MatterType.objects.get(code=matter),
                lng=lng + rng.uniform(-0.0001, 0.0001),
                lat=lat + rng.uniform(-0.0001, 0.0001),
                crs="gcj02",
                description=text,
                phone=f"1380371{i:04d}",
                name=rng.choice(["张先生", "李女士", "王先生", ""]),
                photos=[_jpeg(rng)],
                at=at,
            )
            walk = Walk(case, at, rng)
            walk.to(target, users, supervisor, sanitation)
            made += 1
            if score:
                satisfaction_record(actor=None, case=walk.case, score=score, at=walk.at + timedelta(hours=5))
                rated += 1
        for i, (code, _name, _matter) in enumerate(CATEGORIES[:3]):
            (lng, lat), supervisor = places[(i + 3) % len(places)]
            at = now - timedelta(days=rng.uniform(1, 4))
            order, _created = work_order_receive(
                system=system,
                external_id=f"KF12345-{at:%Y%m%d}-{i + 1:04d}",
                category=code,
                description="市民来电反映：" + REPORTS[i][1],
                lng=lng,
                lat=lat,
                caller_name="市民",
                caller_phone=f"1390371{i:04d}",
                reported_at=at,
                at=at,
            )
            Walk(order.case, at, rng).to(
                ["closed", "dispatched", "reported"][i], users, supervisor, sanitation
            )
    stdout.write(f"public demo: {made} citizen reports ({rated} rated), 3 hotline work orders")
