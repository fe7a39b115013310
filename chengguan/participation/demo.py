"""The demo city's participation: a grid worker who reports (one report filed and paid in points), Minhang's 32
social supervisors (人大代表、政协委员、党代表、专业人士) with comments on enforcement outcomes, one answered, two
service booths and two community studios with today's roster, and two consultations on draft rules (one answered,
one collecting opinions)."""

from datetime import timedelta

from django.utils import timezone

from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, Region, Role, RoleAssignment, User

from .consultation import consultation_create, consultation_publish, consultation_respond, opinion_submit
from .models import Place
from .places import duty_assign
from .supervision import comment_add, comment_answer, outcomes
from .volunteers import volunteer_report

SUPERVISOR_KINDS = ["人大代表"] * 10 + ["政协委员"] * 9 + ["党代表"] * 6 + ["专业人士"] * 7  # 32, as in Minhang
PLACES = [
    ("booth", "书店街便民岗亭", "龙亭区书店街与寺后街交叉口", 114.3505, 34.7995, "08:00–22:00", "咨询、上报问题、临时摊位疏导"),
    ("booth", "西司夜市便民岗亭", "龙亭区西司广场东侧", 114.3458, 34.8012, "17:00–次日01:00", "夜市秩序、油烟噪声投诉"),
    ("studio", "北道门社区城管工作室", "龙亭区北道门社区服务中心一楼", 114.3432, 34.8061, "周一至周五 09:00–17:00",
     "门前三包、违建线索、政策咨询"),
    ("studio", "西门社区城管工作室", "龙亭区西门大街社区服务站", 114.3371, 34.7982, "周一至周五 09:00–17:00", "社区议事、上报问题"),
]
DRAFT = ("第一条 为规范城市道路临时占用，方便群众生活，根据《城市道路管理条例》，制定本办法。\n"
         "第二条 疏导点由区城市管理部门会同街道办事处设置，明确经营时段、摊位数量和卫生责任。\n"
         "第三条 经营者应当在规定时段和区域内经营，收摊后清理场地。")


def _user(username, name, role, region, department=None):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=name)
        RoleAssignment.objects.create(user=user, role=role, region=region, department=department)
    return user


def load(*, stdout) -> None:
    if Place.objects.exists():
        stdout.write("demo participation already loaded; reusing it")
        return
    city = Region.objects.filter(code="410200000000").first()
    district = Region.objects.filter(code="410202000000").first()
    if city is None or district is None:
        stdout.write("demo participation skipped: load the organisation demo first")
        return
    now = timezone.now()
    community = Region.objects.filter(path__startswith=district.path, level="community").order_by("code").first()
    volunteer = _user("volunteer", "李网格", Role.VOLUNTEER, community or district)
    supervisors = [_user("social_supervisor", "王代表（人大代表）", Role.SOCIAL_SUPERVISOR, district)]
    for i, kind in enumerate(SUPERVISOR_KINDS[1:], start=1):
        supervisors.append(_user(f"sv{i:02d}", f"社会监督员{i:02d}（{kind}）", Role.SOCIAL_SUPERVISOR, district))
    reports = _volunteer_reports(volunteer, now)
    comments = _comments(supervisors[0], now)
    places = _places(district, now)
    _consultations(now)
    stdout.write(f"demo participation: {reports} volunteer reports, {len(supervisors)} social supervisors, "
                 f"{comments} comments, {places} places with today's roster, 2 consultations")


def _volunteer_reports(volunteer, now) -> int:
    from chengguan.cases.services import case_act

    grids = list(UnitGrid.objects.filter(code__startswith="410202").order_by("code")[:40:13])
    matters = [m for m in MatterType.objects.filter(code__in=["06010", "09006", "01003"], is_active=True)]
    if not grids or not matters:
        return 0
    operator, leader = User.objects.filter(username="operator").first(), User.objects.filter(
        username="shift_leader").first()
    made = 0
    for i, grid in enumerate(grids[:3]):
        ring = grid.geometry["coordinates"][0]
        lng = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        report = volunteer_report(actor=volunteer, matter=matters[i % len(matters)], lng=lng, lat=lat,
                                  description=["垃圾桶满溢未清运", "早市占道经营", "井盖松动"][i], address="龙亭区",
                                  at=now - timedelta(hours=5 - i))
        made += 1
        if i < 2 and operator and leader:
            case = case_act(actor=operator, case=report.case, action="accept")
            condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
            case_act(actor=leader, case=case, action="file",
                     **({"filing_condition_id": condition.pk} if condition else {}))
    return made


def _comments(supervisor, now) -> int:
    cases = list(outcomes(supervisor)[:2])
    answerer = User.objects.filter(username="legal_reviewer").first()
    texts = ["该案罚款数额是否适用了裁量基准？请说明理由。", "执法过程是否全程记录？当事人陈述申辩是否充分听取？"]
    for i, case in enumerate(cases):
        comment = comment_add(actor=supervisor, case=case, text=texts[i], at=now - timedelta(days=4 - 3 * i))
        if i == 0 and answerer:
            comment_answer(actor=answerer, comment=comment, at=now - timedelta(days=2),
                           answer="本案按“一般”档次裁量，决定书已载明理由；执法记录仪视频已归档备查。")
    return len(cases)


def _places(district, now) -> int:
    department = Department.objects.filter(code="KF-ZD-LT").first()
    if department is None:
        return 0
    staff = [u for u in (User.objects.filter(username=n).first() for n in ("officer", "officer2", "assistant")) if u]
    leader = User.objects.get(username="leader")
    today = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0)
    for i, (kind, name, address, lng, lat, hours, services) in enumerate(PLACES):
        place = Place.objects.create(kind=kind, name=name, address=address, lng=lng, lat=lat, region=district,
                                     department=department, phone="0371-12319", hours=hours, services=services)
        if i < len(staff):
            duty_assign(actor=leader, place=place, person=staff[i], starts_at=today, ends_at=today + timedelta(hours=14))
    return len(PLACES)


def _consultations(now) -> None:
    legal = User.objects.filter(username="legal_reviewer").first()
    bureau = Department.objects.filter(code="KF-CGJ").first()
    if legal is None or bureau is None:
        return
    done = consultation_create(actor=legal, title="开封市城市道路临时占用和疏导点管理办法（征求意见稿）",
                               draft_text=DRAFT, department=bureau, summary="规范疏导点设置、经营时段和卫生责任。",
                               at=now - timedelta(days=40))
    done = consultation_publish(actor=legal, consultation=done, closes_at=now - timedelta(days=10),
                         at=now - timedelta(days=40))
    a = opinion_submit(consultation=done, text="建议夜市疏导点经营时段延长至晚上十一点。", name="张建国",
                       at=now - timedelta(days=30))
    opinion_submit(consultation=done, text="建议明确摊位费用标准并公开收费依据。", at=now - timedelta(days=20))
    consultation_respond(actor=legal, consultation=done, at=now - timedelta(days=5),
                         response="共收到意见 2 条，采纳 1 条：第三条经营时段调整为 17:00–23:00；摊位不收取占道费，已在第二条明确。",
                         replies={a.pk: (True, "已将经营时段延长至 23:00。")})
    open_one = consultation_create(actor=legal, title="开封市门前三包责任制管理规定（征求意见稿）",
                                   draft_text="第一条 临街单位和个体工商户对门前责任区的市容、绿化、秩序负责。\n"
                                              "第二条 责任区范围以建筑物外墙至道路侧石为界。",
                                   department=bureau, summary="明确门前三包责任区范围和考核办法。",
                                   at=now - timedelta(days=3))
    open_one = consultation_publish(actor=legal, consultation=open_one, closes_at=now + timedelta(days=12),
                         at=now - timedelta(days=3))
    opinion_submit(consultation=open_one, text="建议对沿街商户开展责任区划定告知。", at=now - timedelta(days=1))
