"""Demo city, patrol part: staff files and certificates, Haikou-style joint squads, a week of rosters, patrol
tracks of the last two days, a running hundred-day campaign with operations, shops under 门前三包 and small-ad
numbers. Runs after the org and grids demos and degrades gracefully when they are missing.

Everything is deterministic (a seeded random generator) except that dates are relative to today.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from chengguan.catalog.models import MatterType
from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.grids.models import ResponsibilityGrid, UnitGrid
from chengguan.org.models import Department, OfficerCertificate, Region, Role, RoleAssignment, User

from .models import (
    AdPhone,
    Body,
    JointOperation,
    LeaveRequest,
    Norm,
    ShiftPattern,
    ShopInspection,
    ShopViolation,
    StaffProfile,
    SwapRequest,
    TrackPoint,
    TrainingRecord,
)
from .services import ads, campaigns, duty, frontage, squads, staff

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志海燕文博鹏飞宇浩然")
# urban districts: (adcode, officers, assistants); fewer officers than Kaifeng's norm of 6 per 10,000, as in
# most real cities, so the staffing report has something to say
STAFFING = {"410202": (52, 70), "410203": (44, 60), "410204": (36, 50), "410205": (30, 38)}
SQUAD_DISTRICTS = ["410202"]


def _name(i: int) -> str:
    name = SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[(i * 13) % len(GIVEN)]
    return name + GIVEN[(i * 5) % len(GIVEN)] if i % 3 else name


def load(*, stdout) -> None:
    if ShiftPattern.objects.filter(code="D").exists():
        stdout.write("demo patrol data already loaded; reusing it")
        return
    city = Region.objects.filter(code="410200000000").first()
    leader = User.objects.filter(username=Role.LEADER.value).first()
    if city is None or leader is None:
        stdout.write("demo patrol data skipped: load the organisation demo first")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    patterns = {
        "day": ShiftPattern.objects.create(code="D", name="早班", start=time(7), end=time(15)),
        "evening": ShiftPattern.objects.create(code="E", name="中班", start=time(15), end=time(23)),
        "night": ShiftPattern.objects.create(code="N", name="夜班", start=time(23), end=time(7)),
    }
    districts = {r.adcode: r for r in Region.objects.filter(level=Region.Level.DISTRICT, parent=city)}
    _norms(city, districts)
    people = _staff(city, districts, today, rng, leader)
    grids = list(
        ResponsibilityGrid.objects.filter(region__path__startswith=city.path).select_related("region")
    )
    summary = [f"{StaffProfile.objects.count()} staff files"]
    if grids:
        squad_list = _squads(districts, grids, people, today, leader, patterns)
        summary.append(f"{len(squad_list)} joint squads with a week of shifts")
        summary.append(f"{_supervisor_rosters(grids, districts, today, patterns)} supervisor shifts")
        summary.append(f"{_tracks(grids, districts, today, rng)} track points")
    summary.append(_campaign(districts, today, leader, people))
    if grids:
        summary.append(_shops(districts, today, people, rng))
        summary.append(_ads(districts, today, people, rng))
    _requests(people, today)
    stdout.write("demo patrol: " + ", ".join(summary))


def _norms(city, districts):
    # Kaifeng: 6 officers per 10,000 residents; at least 1 assistant per officer city-wide, 1.5 in districts.
    Norm.objects.create(region=city, officers_per_10k=6, assistant_ratio_rule=Norm.RatioRule.AT_LEAST)
    for adcode in STAFFING:
        if adcode in districts:
            Norm.objects.create(
                region=districts[adcode],
                officers_per_10k=6,
                assistant_ratio_rule=Norm.RatioRule.AT_LEAST,
                assistants_per_officer=Decimal("1.5"),
            )


def _staff(city, districts, today, rng, leader) -> dict:
    """Staff files for the demo logins and generated officers/assistants/police; certificates; training."""
    departments = {d.code: d for d in Department.objects.filter(code__startswith="KF-")}
    brigades = {"410202": "KF-ZD-LT", "410203": "KF-ZD-SH", "410204": "KF-ZD-GL", "410205": "KF-ZD-YWT"}
    # every demo login has the same password: reuse a stored hash instead of hashing again (~1 s each)
    password = leader.password or make_password(DEMO_PASSWORD)
    users, profiles, plan = [], [], []
    n = 0
    for adcode, (officers, assistants) in STAFFING.items():
        if adcode not in districts:
            continue
        for body, count in ((Body.OFFICER, officers), (Body.ASSISTANT, assistants)):
            for _ in range(count):
                n += 1
                users.append(User(username=f"{body[:3]}{n:04d}", full_name=_name(n + 300), password=password))
                plan.append((adcode, body))
        for body, count in ((Body.POLICE, 4), (Body.AUXILIARY_POLICE, 8)):
            for _ in range(count):
                n += 1
                users.append(User(username=f"psb{n:04d}", full_name=_name(n + 300), password=password))
                plan.append((adcode, body))
    names = [u.username for u in users]
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    people = {"by_district": {}, "police": departments.get("KF-PSB")}
    roles, certs, training = [], [], []
    for user, (adcode, body) in zip([by_name[name] for name in names], plan, strict=True):
        district = districts[adcode]
        is_police = body in (Body.POLICE, Body.AUXILIARY_POLICE)
        dept = people["police"] if is_police else departments.get(brigades[adcode])
        profile = StaffProfile(
            user=user,
            body=body,
            region=district,
            department=dept,
            staff_number=user.username.upper(),
            establishment=StaffProfile.Establishment.ADMINISTRATIVE if body == Body.OFFICER else "",
            employment=StaffProfile.Employment.DISPATCHED if body == Body.ASSISTANT else "",
            employer="开封市城市服务人力资源有限公司" if body == Body.ASSISTANT else "",
            hired_on=date(2015 + user.pk % 9, 1 + user.pk % 12, 1),
        )
        profiles.append(profile)
        people["by_district"].setdefault(adcode, {}).setdefault(body, []).append(user)
        if body == Body.OFFICER:
            roles.append(RoleAssignment(user=user, role=Role.OFFICER, region=district, department=dept))
            certs.append(_certificate(user, today, len(certs)))
        elif body == Body.ASSISTANT:
            roles.append(RoleAssignment(user=user, role=Role.ASSISTANT, region=district, department=dept))
            training.append(
                TrainingRecord(
                    user=user,
                    subject="协管员岗前培训（法律法规、文明执法、安全防护）",
                    category=TrainingRecord.Category.PRE_SERVICE,
                    provider="开封市城市管理局",
                    started_on=profile.hired_on,
                    hours=40,
                    result=TrainingRecord.Result.PASSED,
                )
            )
    StaffProfile.objects.bulk_create(profiles)
    RoleAssignment.objects.bulk_create(roles)
    OfficerCertificate.objects.bulk_create([c for c in certs if c is not None])
    TrainingRecord.objects.bulk_create(training)
    _supervisor_profiles(city)
    people.update(_demo_logins(districts, departments, today, leader))
    return people


def _certificate(user, today, i) -> OfficerCertificate | None:
    """Most certificates run for years; a few expire within 30/60/90 days, one has expired, two are missing."""
    if i in (7, 61):
        return None  # newly hired, exam not yet taken
    valid_to = {3: 20, 11: 45, 19: 80, 27: 85, 40: -12}.get(i)
    valid_to = today + timedelta(days=valid_to) if valid_to is not None else date(2028 + i % 3, 12, 31)
    return OfficerCertificate(
        user=user,
        number=f"豫{41020000 + i:08d}",
        issuer="河南省人民政府",
        valid_from=min(valid_to, today) - timedelta(days=365 * 3),
        valid_to=valid_to,
        exam_passed_on=min(valid_to, today) - timedelta(days=365 * 3 + 30),
    )


def _supervisor_profiles(city):
    assignments = RoleAssignment.objects.filter(role=Role.SUPERVISOR, region__isnull=False).select_related(
        "region"
    )
    have = set(StaffProfile.objects.values_list("user_id", flat=True))
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user_id=a.user_id,
                body=Body.SUPERVISOR,
                region=a.region,
                department=a.department,
                staff_number=f"JD{a.user_id:04d}",
            )
            for a in assignments
            if a.user_id not in have and a.region.path.startswith(city.path)
        ],
        ignore_conflicts=True,
    )


def _demo_logins(districts, departments, today, leader) -> dict:
    """The demo logins `officer` and `assistant` get full staff files (certificate, training, five-in-one)."""
    lt = districts.get("410202")
    out = {}
    officer = User.objects.filter(username=Role.OFFICER.value).first()
    assistant = User.objects.filter(username=Role.ASSISTANT.value).first()
    if lt is None or officer is None:
        return out
    brigade = departments.get("KF-ZD-LT")
    staff.staff_profile_save(
        actor=leader,
        user=officer,
        body=Body.OFFICER,
        region=lt,
        department=brigade,
        staff_number="LT0001",
        post="中队长",
        establishment="administrative",
        hired_on=date(2016, 7, 1),
    )
    if not OfficerCertificate.objects.filter(user=officer).exists():
        staff.certificate_issue(
            actor=leader,
            user=officer,
            number="豫A-LT-0001",
            issuer="河南省人民政府",
            valid_from=date(2024, 1, 1),
            valid_to=date(2029, 12, 31),
            exam_passed_on=date(2023, 11, 18),
        )
    staff.training_record_add(
        actor=leader,
        user=officer,
        subject="新《行政处罚法》专题培训",
        category="legal",
        started_on=today - timedelta(days=120),
        hours="16",
        result="passed",
        provider="开封市司法局",
    )
    staff.training_record_add(
        actor=leader,
        user=officer,
        subject="公安科目封闭式培训",
        category="police",
        started_on=today - timedelta(days=300),
        hours="80",
        result="passed",
        provider="河南警察学院",
    )
    for category, days, title, score in (
        ("study", 60, "集中学习《城市管理执法行为规范》", None),
        ("publicity", 40, "城管进社区：门前三包宣传", None),
        ("enforcement", 20, "牵头办理占道经营行政处罚案件3件", None),
        ("case_review", 90, "上半年执法案卷评查", Decimal("92")),
    ):
        staff.file_entry_add(
            actor=leader,
            user=officer,
            category=category,
            occurred_on=today - timedelta(days=days),
            title=title,
            score=score,
        )
    if departments.get("KF-ZD-LT-1") is not None:
        staff.staff_rotate(
            actor=leader,
            profile=officer.staff_profile,
            to_region=lt,
            to_department=departments["KF-ZD-LT-1"],
            to_post="中队长",
            effective_on=today - timedelta(days=200),
            reason="干部交流轮岗",
        )
    out["officer"] = officer
    if assistant is not None:
        staff.staff_profile_save(
            actor=leader,
            user=assistant,
            body=Body.ASSISTANT,
            region=lt,
            department=brigade,
            staff_number="LTXG0001",
            employment="dispatched",
            employer="开封市城市服务人力资源有限公司",
            hired_on=date(2021, 3, 1),
        )
        staff.training_record_add(
            actor=leader,
            user=assistant,
            subject="协管员岗前培训",
            category="pre_service",
            started_on=date(2021, 3, 1),
            hours=40,
            result="passed",
        )
        out["assistant"] = assistant
    return out


def _squads(districts, grids, people, today, leader, patterns):
    """Four Haikou-style squads per district rotating over three shifts (one rests each day)."""
    template = squads.template_save(
        actor=leader,
        code="HK-1224",
        name="公安+城管联合巡逻分队（1:2:2:4）",
        requirements={"police": 1, "auxiliary_police": 2, "officer": 2, "assistant": 4},
        description="每个分队按1名警察、2名辅警、2名城管、4名协管的比例组成（海口）。",
    )
    shift_leader = User.objects.filter(username=Role.SHIFT_LEADER.value).first() or leader
    start = today - timedelta(days=today.weekday())
    created = []
    for adcode in SQUAD_DISTRICTS:
        district = districts.get(adcode)
        pool = people["by_district"].get(adcode)
        if district is None or not pool:
            continue
        own_grids = [g for g in grids if g.region.path.startswith(district.path)]
        officers = list(pool[Body.OFFICER])
        if adcode == "410202" and "officer" in people:
            officers = [people["officer"], *officers]
        for k in range(4):
            squad = squads.squad_create(
                actor=leader,
                code=f"{adcode}-LH-{k + 1}",
                name=f"{district.name}联合执法{'一二三四'[k]}分队",
                region=district,
                template=template,
                grids=own_grids[k::4][:6],
            )
            members = [
                (pool[Body.POLICE][k], Body.POLICE),
                *[(u, Body.AUXILIARY_POLICE) for u in pool[Body.AUXILIARY_POLICE][2 * k : 2 * k + 2]],
            ]
            members += [(u, Body.OFFICER) for u in officers[2 * k : 2 * k + 2]]
            assistants = pool[Body.ASSISTANT][4 * k : 4 * k + (3 if k == 3 else 4)]  # squad 4 is one short
            members += [(u, Body.ASSISTANT) for u in assistants]
            for user, body in members:
                squads.squad_member_add(
                    actor=leader,
                    squad=squad,
                    user=user,
                    body=body,
                    joined_on=start,
                    is_leader=user == officers[2 * k],
                )
            created.append((squad, officers[2 * k], own_grids[k::4][:1]))
        slots = [patterns["day"], patterns["evening"], patterns["night"], None]
        for offset in range(7):
            day = start + timedelta(days=offset)
            for k, (squad, squad_leader, grid) in enumerate(created[-4:]):
                pattern = slots[(k + offset) % 4]
                if pattern is not None:
                    duty.shift_create(
                        actor=shift_leader,
                        day=day,
                        pattern=pattern,
                        squad=squad,
                        grid=grid[0] if grid else None,
                        leader=squad_leader,
                    )
    return created


def _supervisor_rosters(grids, districts, today, patterns) -> int:
    """Supervisors of 龙亭 patrol 07:00–23:00 in two shifts: the first of each grid early, the second late."""
    from .models import DutyAssignment, DutyShift

    district = districts.get("410202")
    if district is None:
        return 0
    start = today - timedelta(days=today.weekday())
    shifts, people = [], []
    for grid in [g for g in grids if g.region.path.startswith(district.path)]:
        supervisors = list(grid.supervisors.order_by("username"))
        for offset in range(7):
            day = start + timedelta(days=offset)
            for pattern, user in zip((patterns["day"], patterns["evening"]), supervisors[:2], strict=False):
                starts, ends = duty.shift_times(day, pattern)
                shifts.append(
                    DutyShift(
                        day=day,
                        pattern=pattern,
                        starts_at=starts,
                        ends_at=ends,
                        region=grid.region,
                        grid=grid,
                    )
                )
                people.append(user)
    created = DutyShift.objects.bulk_create(shifts)
    if created and created[0].pk is None:  # backends without RETURNING
        created = list(DutyShift.objects.filter(squad__isnull=True, grid__isnull=False).order_by("pk"))
    DutyAssignment.objects.bulk_create(
        [DutyAssignment(shift=s, user=u, body=Body.SUPERVISOR) for s, u in zip(created, people, strict=True)],
        ignore_conflicts=True,
    )
    return len(created)


def _tracks(grids, districts, today, rng) -> int:
    """Yesterday's and today's (until now) tracks of the 龙亭 supervisors: a walk through their unit grids with a
    point every three minutes and a lunch break; some grids stay unvisited, as in real life."""
    from .models import DutyAssignment

    district = districts.get("410202")
    if district is None:
        return 0
    now = timezone.now()
    tz = timezone.get_current_timezone()
    rows = []
    for grid in [g for g in grids if g.region.path.startswith(district.path)]:
        units = list(grid.unit_grids.order_by("code").values_list("pk", "geometry"))
        if not units:
            continue
        for day in (today - timedelta(days=1), today):
            for a in DutyAssignment.objects.filter(shift__grid=grid, shift__day=day).select_related(
                "shift", "user"
            ):
                t = a.shift.starts_at + timedelta(minutes=rng.randint(3, 20))
                end = min(a.shift.ends_at - timedelta(minutes=rng.randint(0, 40)), now)
                order = units[:]
                rng.shuffle(order)
                order = order[: max(1, int(len(order) * rng.uniform(0.55, 0.95)))]
                i = 0
                while t < end:
                    if time(11, 40) <= timezone.localtime(t, tz).time() < time(12, 20):
                        t += timedelta(minutes=40)
                        continue
                    pk, geometry = order[(i // 2) % len(order)]
                    ring = geometry["coordinates"][0]
                    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                    rows.append(
                        (
                            a.user_id,
                            f"demo-{a.user_id}-{int(t.timestamp())}",
                            t,
                            round(rng.uniform(min(xs), max(xs)), 7),
                            round(rng.uniform(min(ys), max(ys)), 7),
                            rng.choice([5, 8, 10, 15]),
                            pk,
                        )
                    )
                    t += timedelta(seconds=rng.randint(150, 210))
                    i += 1
    _insert_points(rows)
    return len(rows)


def _insert_points(rows) -> None:
    """Tens of thousands of generated points: one executemany instead of the ORM's per-object work."""
    table = TrackPoint._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"INSERT INTO {table} (user_id, client_id, recorded_at, received_at, lng, lat, accuracy_m, unit_grid_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(u, c, adapt(t), adapt(t), x, y, acc, g) for u, c, t, x, y, acc, g in rows])


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

    from .services.campaign_points import campaign_point_add

    grids = list(UnitGrid.objects.filter(community__path__startswith=district.path).values_list("geometry", flat=True)[:4000])
    shapes = [shapely.geometry.shape(g) for g in grids]
    if not shapes:
        return
    centre = shapely.unary_union(shapes).centroid
    shapes.sort(key=lambda g: g.centroid.distance(centre))
    places = [("中山路北段", "07003", "中山路两侧违规户外广告"), ("书店街口", "07006", "牌匾不规范"),
              ("鼓楼广场东侧", "07001", "小广告集中张贴"), ("寺后街夜市", "07001", "夜间小广告")]
    for (name, code, note), shape in zip(places, shapes[:: max(len(shapes) // 8, 1)], strict=False):
        p = shape.representative_point()
        campaign_point_add(actor=leader, campaign=campaign, name=name, lng=round(p.x, 6), lat=round(p.y, 6),
                           matter=matters[code], note=note)


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


def _requests(people, today):
    """A pending leave request of the demo assistant and a pending swap, for the shift leader to decide."""
    assistant = people.get("assistant")
    if assistant is not None and not LeaveRequest.objects.filter(user=assistant).exists():
        start = timezone.make_aware(datetime.combine(today + timedelta(days=2), time(0)))
        duty.leave_request_create(
            actor=assistant,
            kind="personal",
            starts_at=start,
            ends_at=start + timedelta(days=1),
            reason="家中有事",
        )
    from .models import DutyAssignment

    later = (
        DutyAssignment.objects.filter(
            shift__starts_at__gt=timezone.now() + timedelta(hours=12),
            shift__squad__isnull=False,
            body=Body.OFFICER,
        )
        .select_related("shift", "user")
        .order_by("shift__starts_at")
        .first()
    )
    if later is not None and not SwapRequest.objects.exists():
        colleague = (
            StaffProfile.objects.filter(body=Body.OFFICER, region=later.shift.region)
            .exclude(user__duty_assignments__shift__day=later.shift.day)
            .select_related("user")
            .first()
        )
        if colleague is not None:
            duty.swap_request_create(
                actor=later.user, assignment=later, counterpart=colleague.user, reason="孩子学校开家长会"
            )
