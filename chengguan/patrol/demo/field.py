"""Demo city, patrol part: the hundred-day campaign with its operations, shops under 门前三包 and small-ad numbers."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from chengguan.catalog.models import MatterType
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Region, Role, User

from ..models import (
    AdPhone,
    JointOperation,
    ShopInspection,
    ShopViolation,
)
from ..services import ads, campaigns, frontage
from ._common import _name


def _campaign(districts, today, leader, people) -> str:
    district = districts.get("410202")
    matters = {m.code: m for m in MatterType.objects.filter(code__in=["07003", "07006", "07001"])}
    if district is None or len(matters) < 3:
        return "no campaign (catalogue or districts missing)"
    campaign = campaigns.campaign_create(
        actor=leader,
        name="户外广告、牌匾和小广告百日攻坚",
        kind="hundred_days",
        region=district,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=69),
        targets={matters["07003"]: 800, matters["07006"]: 300, matters["07001"]: 2000},
        area="中山路、书店街、鼓楼广场周边",
        description="按照“拆除一批、规范一批、提升一批”的思路，拆除违规户外广告和牌匾，清理非法小广告。",
    )
    campaign = campaigns.campaign_start(actor=leader, campaign=campaign)
    police = people.get("police")
    officer = people.get("officer") or leader
    done = [
        ("中山路违规户外广告集中拆除", {"07003": 96, "07006": 20}, 42, 3),
        ("书店街牌匾规范整治", {"07006": 45}, 25, 0),
        ("鼓楼广场周边小广告清理", {"07001": 520}, 60, 1),
        ("夜间违规广告突击行动", {"07003": 58, "07001": 210}, 30, 2),
        ("背街小巷广告牌清理", {"07003": 40, "07006": 16}, 28, 0),
    ]
    for i, (title, results, staff_count, penalties) in enumerate(done):
        op = campaigns.operation_start_ad_hoc(
            actor=officer, title=title, region=district, campaign=campaign, bodies=[police] if police else []
        )
        campaigns.operation_complete(
            actor=officer,
            operation=op,
            staff_count=staff_count,
            problems_found=sum(results.values()) + i,
            penalties=penalties,
            fines_yuan=penalties * 500,
            items_seized=i,
            results={matters[c]: n for c, n in results.items()},
            summary="各参与单位按分工完成任务。",
        )
        JointOperation.objects.filter(pk=op.pk).update(
            started_at=timezone.now() - timedelta(days=25 - 5 * i, hours=3),
            ended_at=timezone.now() - timedelta(days=25 - 5 * i),
        )
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(19)))
    campaigns.operation_plan(
        actor=officer,
        title="商业步行街夜间联合整治",
        region=district,
        campaign=campaign,
        planned_start=tomorrow,
        planned_end=tomorrow + timedelta(hours=3),
        bodies=[police] if police else [],
        area="商业步行街",
    )
    for days, checked, relapses, where in ((12, 40, 3, "中山路"), (4, 35, 1, "书店街")):
        campaigns.follow_up_record(
            actor=officer,
            campaign=campaign,
            checked_on=today - timedelta(days=days),
            places_checked=checked,
            relapses=relapses,
            matter=matters["07003"],
            location=where,
        )
    _campaign_points(campaign, district, leader, matters)
    return f"campaign {campaign.code} running"


def _campaign_points(campaign, district, leader, matters) -> None:
    """Four target places on the campaign page's map: inside unit grids of the district, near its centre."""
    import shapely

    from ..services.campaign_points import campaign_point_add

    grids = list(
        UnitGrid.objects.filter(community__path__startswith=district.path).values_list("geometry", flat=True)[
            :4000
        ]
    )
    shapes = [shapely.geometry.shape(g) for g in grids]
    if not shapes:
        return
    centre = shapely.unary_union(shapes).centroid
    shapes.sort(key=lambda g: g.centroid.distance(centre))
    places = [
        ("中山路北段", "07003", "中山路两侧违规户外广告"),
        ("书店街口", "07006", "牌匾不规范"),
        ("鼓楼广场东侧", "07001", "小广告集中张贴"),
        ("寺后街夜市", "07001", "夜间小广告"),
    ]
    for (name, code, note), shape in zip(places, shapes[:: max(len(shapes) // 8, 1)], strict=False):
        p = shape.representative_point()
        campaign_point_add(
            actor=leader,
            campaign=campaign,
            name=name,
            lng=round(p.x, 6),
            lat=round(p.y, 6),
            matter=matters[code],
            note=note,
        )


def _shops(districts, today, people, rng) -> str:
    district = districts.get("410202")
    officer = people.get("officer")
    if district is None or officer is None:
        return "no shops"
    ids = list(
        UnitGrid.objects.filter(community__path__startswith=district.path, responsibility_grids__isnull=False)
        .order_by("code")
        .values_list("pk", flat=True)
        .distinct()
    )
    units = list(UnitGrid.objects.filter(pk__in=ids[:: max(1, len(ids) // 10)][:10]).order_by("code"))

    names = [
        "老街烩面馆",
        "书店街文具店",
        "鼓楼小吃城",
        "中山路药房",
        "相国寺茶庄",
        "宋都御街工艺品店",
        "西门大街五金店",
        "北道门便利店",
        "龙亭水果店",
        "包府坑早餐店",
    ]
    matter = MatterType.objects.filter(code="09005").first()
    shops_created = []
    for i, (unit, name) in enumerate(zip(units, names, strict=False)):
        ring = unit.geometry["coordinates"][0]
        lng = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        shop = frontage.shop_register(
            actor=officer,
            name=name,
            operator_name=_name(900 + i),
            address=f"{name}门前",
            lng=lng,
            lat=lat,
            crs="gcj02",
            business_type="零售餐饮",
            frontage_m=float(rng.randint(4, 16)),
            phone=f"1390378{i:04d}",
        )
        frontage.agreement_sign(
            actor=officer,
            shop=shop,
            number=f"LT-MQ-{today.year}-{i + 1:04d}",
            scheme="five" if i % 3 == 0 else "three",
            zone="店门至路沿石",
            signed_on=today - timedelta(days=200),
            valid_from=today - timedelta(days=200),
            valid_to=today + timedelta(days=165),
        )
        shops_created.append(shop)
    # one shop keeps putting tables on the pavement: education, then a warning, then an order
    if shops_created:
        repeat = shops_created[min(2, len(shops_created) - 1)]
        for days in (40, 20, 3):
            inspection = frontage.shop_inspect(
                actor=officer,
                shop=repeat,
                failures=[{"obligation": "order", "description": "店外摆放桌椅经营", "matter": matter}],
            )
            moment = timezone.now() - timedelta(days=days)
            ShopInspection.objects.filter(pk=inspection.pk).update(inspected_at=moment)
            ShopViolation.objects.filter(inspection=inspection).update(created_at=moment)
        for shop in shops_created[3:7]:
            frontage.shop_inspect(actor=officer, shop=shop, findings="门前整洁，秩序良好")
    return f"{len(shops_created)} shops"


def _ads(districts, today, people, rng) -> str:
    district = districts.get("410202")
    reporter = User.objects.filter(username=Role.SUPERVISOR.value).first() or people.get("officer")
    officer = people.get("officer")
    if district is None or reporter is None:
        return "no small ads"
    communities = list(
        Region.objects.filter(level=Region.Level.COMMUNITY, path__startswith=district.path)[:6]
    )
    if not communities:
        return "no small ads"
    numbers = [
        "13903781234",
        "15837812345",
        "18637800001",
        "13007812222",
        "03712345678",
        "4006001234",
        "17737856789",
        "13523456789",
    ]
    for i, number in enumerate(numbers):
        for j in range(1 + i % 3):
            ads.ad_sighting_record(
                actor=reporter,
                number=number,
                region=communities[(i + j) % len(communities)],
                seen_at=timezone.now() - timedelta(days=20 - i - j),
                location="电线杆、楼道",
                ad_kind=["sticker", "spray", "flyer"][(i + j) % 3],
                ads_count=rng.randint(3, 40),
                removed=True,
            )
    if officer is not None:
        phones = {p.number: p for p in AdPhone.objects.filter(number__in=numbers)}
        ads.ad_phone_status_change(
            actor=officer, phone=phones[numbers[0]], status="notified", note="已电话告知"
        )
        ads.ad_phone_status_change(
            actor=officer, phone=phones[numbers[1]], status="suspended", note="函告运营商停机"
        )
        ads.ad_phone_status_change(
            actor=officer, phone=phones[numbers[2]], status="notified", note="已电话告知"
        )
        ads.ad_phone_status_change(actor=officer, phone=phones[numbers[2]], status="cleared", note="未再发现")
    return f"{len(numbers)} small-ad numbers"
