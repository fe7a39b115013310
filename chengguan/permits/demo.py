"""The demo city's permits: three vending zones in 龙亭区 (one full), stall permits like Hongshan's 马路市场摊位证,
shop signs and outdoor advertising granted, applications at every step (one past its acceptance deadline, one
with a one-time notice, one extended), an expired permit, and patrol findings without a permit."""

import random
from datetime import date, time, timedelta

from django.utils import timezone

from chengguan.core.errors import DomainError
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Region, User

from . import services
from .models import Application, VendingZone

ZONES = [  # code, name, capacity, opens, closes, goods, stalls granted
    ("KF-SD-01", "西门夜市疏导点", 40, time(17), time(23), "小吃、日用百货", 34),
    ("KF-SD-02", "北门早市疏导点", 12, time(5, 30), time(9), "蔬菜、水果", 12),
    ("KF-SD-03", "书店街季节性瓜果疏导点", 20, time(8), time(21), "西瓜、时令瓜果", 6),
]
SHOPS = ["鼓楼小笼包子店", "第一楼餐饮有限公司", "汴京书局", "开封大众理发店", "宋都眼镜行", "清明上河文创店",
         "中山路移动营业厅", "汴梁烩面馆", "鑫源五金店", "开封老字号酱菜铺", "马道街药房", "相国寺茶庄"]
ROADS = ["中山路", "书店街", "西门大街", "北道门街", "自由路", "马道街", "寺后街"]
PEOPLE = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]


def _centre(grid) -> tuple[float, float]:
    ring = grid.geometry["coordinates"][0]
    return sum(p[0] for p in ring[:-1]) / (len(ring) - 1), sum(p[1] for p in ring[:-1]) / (len(ring) - 1)


def _granted(officer, leader, now, **data) -> Application | None:
    try:
        a = services.application_submit(actor=officer, channel=data.pop("channel", "counter"), now=now, **data)
        a = services.application_accept(actor=officer, application=a, now=now + timedelta(days=1))
        return services.application_grant(actor=leader, application=a, now=now + timedelta(days=6))
    except DomainError:
        return None


def load(*, stdout) -> None:
    if VendingZone.objects.filter(code="KF-SD-01").exists():
        stdout.write("demo permits already loaded; reusing them")
        return
    grids = list(UnitGrid.objects.filter(code__startswith="410202", community__isnull=False).order_by("code"))
    officer, leader = User.objects.filter(username="officer").first(), User.objects.filter(username="leader").first()
    if not grids or officer is None or leader is None:
        stdout.write("demo permits skipped: load the organisation and grids demo first")
        return
    rng = random.Random(20)
    now = timezone.now()
    today = timezone.localdate(now)
    zones = []
    for i, (code, name, capacity, opens, closes, goods, _n) in enumerate(ZONES):
        grid = grids[(i * 7 + 3) % len(grids)]
        lng, lat = _centre(grid)
        zones.append(VendingZone.objects.create(code=code, name=name, region=Region.objects.get(pk=grid.community_id),
                                                address=f"{ROADS[i]}{20 + i * 8}号旁", lng=lng, lat=lat,
                                                capacity=capacity, opens_at=opens, closes_at=closes, goods=goods))
    stalls = 0
    for zone, (*_rest, n) in zip(zones, ZONES, strict=True):
        for k in range(n):
            start = now - timedelta(days=rng.randint(20, 200))
            if _granted(officer, leader, start, kind="stall", region=zone.region, zone=zone, stall_number=f"{k + 1:03d}",
                        applicant_type="person", applicant_name=rng.choice(PEOPLE) + rng.choice("建国秀英志强丽华明"),
                        applicant_phone=f"139{rng.randint(10_000_000, 99_999_999)}", address="",
                        description=f"{zone.goods.split('、')[0]}摊位", requested_from=timezone.localdate(start),
                        requested_to=date(today.year, 12, 31)):
                stalls += 1
    signs = 0
    for i, shop in enumerate(SHOPS):
        grid = grids[(i * 11 + 5) % len(grids)]
        lng, lat = _centre(grid)
        start = now - timedelta(days=rng.randint(30, 300))
        kind = "advertising" if i % 4 == 3 else "shop_sign"
        if _granted(officer, leader, start, kind=kind, region=Region.objects.get(pk=grid.community_id),
                    applicant_type="organisation", applicant_name=shop, applicant_phone="0371-2356" + f"{i:04d}",
                    address=f"{ROADS[i % len(ROADS)]}{10 + i * 3}号", lng=lng + 0.0003, lat=lat,
                    description="户外广告牌一块" if kind == "advertising" else f"门头牌匾“{shop}”",
                    size="8 m × 2 m" if kind == "advertising" else "6 m × 1.2 m",
                    requested_from=timezone.localdate(start), requested_to=timezone.localdate(start) + timedelta(days=364)):
            signs += 1
    _in_progress(grids, officer, leader, now, today)
    _findings(grids, officer, now)
    stdout.write(f"demo permits: {len(zones)} vending zones, {stalls} stall permits, {signs} signs and advertisements, "
                 f"{Application.objects.filter(status__in=['submitted', 'notice', 'accepted']).count()} open applications")


def _place(grids, i):
    grid = grids[(i * 13 + 1) % len(grids)]
    lng, lat = _centre(grid)
    return Region.objects.get(pk=grid.community_id), lng, lat


def _in_progress(grids, officer, leader, now, today) -> None:
    base = dict(applicant_type="organisation", applicant_phone="0371-23561234", requested_from=today + timedelta(days=10),
                requested_to=today + timedelta(days=375))
    rows = [("shop_sign", "汴味轩酒楼", "门头牌匾更换", 9, "submitted"),
            ("advertising", "开封文旅传媒有限公司", "楼顶户外广告设置", 2, "submitted"),
            ("road_occupation", "开封市第三建筑公司", "临时占用西门大街人行道堆放材料 30 ㎡", 3, "notice"),
            ("green_stamp", "金明置业有限公司", "金明苑小区绿地建设审核（绿地率 35%）", 12, "accepted"),
            ("shop_sign", "宋都烧烤城", "门头牌匾设置", 16, "extended"),
            ("advertising", "东京广告有限公司", "人行道立柱广告", 25, "refused")]
    for i, (kind, name, what, days_ago, state) in enumerate(rows):
        region, lng, lat = _place(grids, i)
        start = now - timedelta(days=days_ago)
        try:
            a = services.application_submit(actor=None, channel="online", kind=kind, region=region, applicant_name=name,
                                            address=f"{ROADS[i]}{60 + i}号", lng=lng, lat=lat, description=what,
                                            now=start, **base)
            if state == "notice":
                services.application_notice(actor=officer, application=a, now=start + timedelta(days=1),
                                            missing_items=["施工占道平面图", "交通疏导方案", "道路恢复承诺书"])
            if state in ("accepted", "extended", "refused"):
                a = services.application_accept(actor=officer, application=a, now=start + timedelta(days=2))
            if state == "extended":
                services.application_extend(actor=leader, application=a, now=start + timedelta(days=14),
                                            reason="需征求交通管理部门意见")
            if state == "refused":
                services.application_refuse(actor=leader, application=a, now=start + timedelta(days=12),
                                            reason="设置位置位于城市主干道人行道，影响通行安全，不符合户外广告设置规划。")
        except DomainError:
            continue
    region, lng, lat = _place(grids, 9)
    old = _granted(officer, leader, now - timedelta(days=120), kind="road_occupation", region=region,
                   applicant_type="organisation", applicant_name="开封市燃气有限公司", applicant_phone="0371-22220000",
                   address="自由路88号", lng=lng, lat=lat, description="管道维修临时占道 20 ㎡",
                   requested_from=today - timedelta(days=110), requested_to=today - timedelta(days=80))
    if old is not None:
        services.expire_permits(now=now)


def _findings(grids, officer, now) -> None:
    for i, (kind, what) in enumerate([("shop_sign", "新装门头牌匾，未见许可"), ("stall", "疏导点外占道摆摊"),
                                      ("advertising", "楼顶擅自设置广告牌")]):
        region, lng, lat = _place(grids, 20 + i)
        try:  # ~170 m off the grid's centre, where the granted signs stand
            f = services.finding_record(actor=officer, kind=kind, region=region, lng=lng - 0.0012, lat=lat + 0.0012,
                                        address=f"{ROADS[i + 2]}{30 + i}号", description=what,
                                        now=now - timedelta(hours=5 - i))
            if i == 0:
                services.finding_open_clue(actor=officer, finding=f, now=now - timedelta(hours=4))
        except DomainError:
            continue
