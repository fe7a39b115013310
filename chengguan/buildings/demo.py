"""The demo city's illegal-building ledger: a census of existing structures (存量), new ones found on patrol in the
last weeks (most stopped and handled the same day), a demolition project on the scale of Minhang's 华美路100弄
(34 households, 2.43 万 m², 2015) and a demolition campaign whose target is counted from the ledger."""

import contextlib
import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from chengguan.catalog.models import MatterType
from chengguan.core.errors import DomainError
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, Region, User
from chengguan.patrol.models import Campaign
from chengguan.patrol.services import campaigns

from . import services
from .models import DemolitionProject, IllegalBuilding, LedgerTarget

ROADS = ["北道门街", "西门大街", "龙亭北路", "大兴街", "午朝门街", "宋都御街", "大纸坊街", "双龙巷"]
USES = ["residential", "residential", "commercial", "storage", "rooftop", "industrial"]


def _centre(grid) -> tuple[float, float]:
    ring = grid.geometry["coordinates"][0]
    return sum(p[0] for p in ring[:-1]) / (len(ring) - 1), sum(p[1] for p in ring[:-1]) / (len(ring) - 1)


def load(*, stdout) -> None:
    if DemolitionProject.objects.filter(code="KF-CW-2026-01").exists():
        stdout.write("demo illegal buildings already loaded; reusing them")
        return
    grids = list(UnitGrid.objects.filter(code__startswith="410202", community__isnull=False).order_by("code"))
    officer, leader = User.objects.filter(username="officer").first(), User.objects.filter(username="leader").first()
    district = Region.objects.filter(code="410202").first() or Region.objects.filter(code__startswith="410202").first()
    if not grids or officer is None or leader is None or district is None:
        stdout.write("demo illegal buildings skipped: load the organisation and grids demo first")
        return
    rng = random.Random(34)
    now = timezone.now()
    today = timezone.localdate(now)
    campaign = _campaign(district, leader, today)
    anchor = grids[len(grids) // 3]
    plng, plat = _centre(anchor)
    project = DemolitionProject.objects.create(
        code="KF-CW-2026-01", name="北道门片区集中成片拆违项目", region=Region.objects.get(pk=anchor.community_id),
        address="北道门街 100 弄", lng=plng, lat=plat, target_households=34, target_area_m2=Decimal("24300"),
        starts_on=today - timedelta(days=45), due_on=today + timedelta(days=45), state="running",
        lead_department=Department.objects.filter(code="KF-ZD-LT").first(), campaign=campaign,
        description="参照闵行区华漕镇华美路100弄集中成片拆违（34户、2.43万平方米）：党建联建、分片包干、逐户动员。")
    weights = [rng.randint(450, 980) for _h in range(34)]
    areas = [(Decimal(24300) * w / sum(weights)).quantize(Decimal("0.01")) for w in weights]
    areas[-1] += Decimal(24300) - sum(areas)  # the project's 2.43 万 m² exactly
    for h, area in enumerate(areas):
        b = _register(officer, anchor, rng, now - timedelta(days=200 + h), category="stock", source="survey",
                      address=f"北道门街100弄{h + 1}号", area=area, households=1, floors=rng.choice([1, 2, 2, 3]),
                      use="residential", project=project, campaign=campaign, party=f"{rng.choice('王李张刘陈')}某")
        if b is not None and h < 21:
            _demolish(officer, b, today - timedelta(days=40 - h))
    stock = new = 0
    for i in range(30):
        grid = grids[(i * 17 + 2) % len(grids)]
        b = _register(officer, grid, rng, now - timedelta(days=rng.randint(60, 400)), category="stock",
                      source=rng.choice(["survey", "aerial", "report"]), address=f"{ROADS[i % 8]}{i * 4 + 3}号",
                      area=Decimal(rng.randint(12, 260)), households=1, floors=rng.choice([1, 1, 2]),
                      use=rng.choice(USES), campaign=campaign if i % 2 else None, party="")
        if b is None:
            continue
        stock += 1
        if i % 5 == 0:
            _demolish(officer, b, today - timedelta(days=rng.randint(1, 25)))
        elif i % 7 == 0:
            with contextlib.suppress(DomainError):
                services.building_retain(actor=leader, building=b, reason="属历史遗留，待规划部门认定", now=now)
    for i in range(14):
        grid = grids[(i * 5 + 9) % len(grids)]
        found = now - timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 4))
        b = _register(officer, grid, rng, found, category="new", source=rng.choice(["patrol", "patrol", "report"]),
                      address=f"{ROADS[(i + 3) % 8]}{i * 6 + 1}号", area=Decimal(rng.randint(8, 90)), households=1,
                      floors=1, use=rng.choice(USES), campaign=campaign, party=f"{rng.choice('赵孙周吴郑')}某")
        if b is None:
            continue
        new += 1
        try:
            services.building_stop(actor=officer, building=b, note="责令立即停止建设", now=found + timedelta(hours=1))
            handled = found + (timedelta(hours=3) if i % 6 else timedelta(days=1, hours=2))
            services.building_open_clue(actor=officer, building=b, now=min(handled, now))
            if i % 3 == 0:
                _demolish(officer, b, timezone.localdate(min(handled + timedelta(days=2), now)))
        except DomainError:
            continue
    stdout.write(f"demo illegal buildings: 34 in the project, {stock} existing, {new} new; "
                 f"{IllegalBuilding.objects.filter(status='demolished').count()} demolished")


def _campaign(district, leader, today):
    matter = MatterType.objects.filter(code="06001").first()
    try:
        c = campaigns.campaign_create(
            actor=leader, name="违法建设治理百日攻坚", kind="hundred_days", region=district,
            starts_on=today - timedelta(days=50), ends_on=today + timedelta(days=49),
            targets={matter: 60} if matter else {}, area="北道门片区、西门大街沿线",
            description="止新拆旧：新增违建当日发现、立即制止、当日查处；存量违建分类拆除。")
        c = campaigns.campaign_start(actor=leader, campaign=c)
    except DomainError:
        c = Campaign.objects.filter(name="违法建设治理百日攻坚").first()
    if c is not None:
        LedgerTarget.objects.get_or_create(campaign=c, defaults={"items": 60, "area_m2": Decimal("30000")})
    return c


def _register(officer, grid, rng, at, *, category, source, address, area, households, floors, use, party,
              project=None, campaign=None):
    lng, lat = _centre(grid)
    try:
        return services.building_register(
            actor=officer, region=Region.objects.get(pk=grid.community_id), address=address,
            lng=lng + rng.uniform(-0.0012, 0.0012), lat=lat + rng.uniform(-0.0009, 0.0009), area_m2=area,
            floors=floors, households=households, use=use, category=category, source=source, discovered_at=at,
            party_name=party, project=project, campaign=campaign, now=at)
    except DomainError:
        return None


def _demolish(officer, b, day) -> None:
    with contextlib.suppress(DomainError):
        services.building_demolish(actor=officer, building=b, demolished_on=max(day, b.discovered_on),
                                   note="已拆除并清运", now=timezone.now())
