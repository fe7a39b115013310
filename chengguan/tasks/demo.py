"""The demo city's task lists: a year's programme in Minhang's shape (19 大类 82 项, each category led by one of the
bureau's leaders — the report gives the counts, the titles here are illustrative), two 例会 whose decisions became
tasks, a problem list from an inspection, a meeting and a case, progress reports, and the sweeper's lights and
notices on the overdue ones."""

import io
import random
from datetime import timedelta

from django.utils import timezone

from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.org.models import Department, Region, Role, RoleAssignment, User

from .ladder import sweep
from .models import Category, Programme, Task
from .services import meeting_decide, meeting_record, problem_raise, progress_report, task_create

CATEGORIES = [
    "深化大联动", "止新拆旧", "执法联勤联动", "执法力量下沉", "队伍作风建设", "法制规范化建设", "数字城管提升",
    "市容环境整治", "户外广告与店招管理", "渣土运输管理", "无序设摊治理", "背街小巷整治", "园林绿化管护",
    "市政设施养护", "环卫保洁提质", "便民服务", "社会监督与参与", "宣传与信息公开", "考核与问责",
]
ACTIONS = ["制定工作方案", "建立工作台账", "开展专项整治", "完成阶段评估", "形成长效机制"]
OWNERS = ["KF-ZD-LT", "KF-SANIT", "KF-ROADS", "KF-CENTRE", "KF-GREEN", "KF-ZD-SH", "KF-LEGAL", "KF-LT-CGJ"]
LEADERS = [("leader", "郑局长"), ("leader_deputy1", "王副局长"), ("leader_deputy2", "孙副局长")]


def _png() -> io.BytesIO:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 140, 70)).save(buf, format="PNG")
    buf.seek(0)
    buf.name, buf.size = "现场照片.png", len(buf.getvalue())
    return buf


def _leaders(city) -> list[User]:
    bureau = Department.objects.get(code="KF-CGJ")
    out = []
    for username, name in LEADERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=name)
            RoleAssignment.objects.create(user=user, role=Role.LEADER, region=city, department=bureau)
        out.append(user)
    return out


def load(*, stdout) -> None:
    if Programme.objects.exists():
        stdout.write("demo task lists already loaded; reusing them")
        return
    city = Region.objects.filter(code="410200000000").first()
    if city is None or not Department.objects.filter(code="KF-CGJ").exists():
        stdout.write("demo task lists skipped: load the organisation demo first")
        return
    rng = random.Random(82)
    now = timezone.now()
    leaders = _leaders(city)
    chief = leaders[0]
    departments = {d.code: d for d in Department.objects.filter(code__in=OWNERS)}
    people = {a.department.code: a.user for a in RoleAssignment.objects.select_related("department", "user")
              .filter(department__code__in=OWNERS).exclude(role__in=["leader", "admin"]).order_by("pk")}
    year = timezone.localtime(now).year
    programme = Programme.objects.create(name=f"{year} 年度目标任务（19 大类 82 项）", year=year,
                                         description="局班子分别牵头，按月报送进展，超期亮灯催办督办。")
    count = 0
    for number, name in enumerate(CATEGORIES, start=1):
        category = Category.objects.create(programme=programme, number=number, name=name,
                                           lead=leaders[(number - 1) % len(leaders)])
        for action in ACTIONS[: 5 if number <= 6 else 4]:
            count += 1
            code = OWNERS[count % len(OWNERS)]
            started = now - timedelta(days=rng.randint(20, 200))
            task = task_create(actor=chief, title=f"{name}：{action}", owner_department=departments[code],
                               owner_person=people.get(code), leader=category.lead, category=category,
                               kind=Task.Kind.REFORM if number <= 4 else Task.Kind.WORK,
                               due=(started + timedelta(days=rng.randint(30, 260))).date(), at=started)
            _progress(task, rng, now)
    m1 = meeting_record(actor=chief, kind="biweekly", title="深化大联动双周例会（第 23 次）", region=city,
                        held_at=now - timedelta(days=12), attendees="局班子成员、各区城管局、监督指挥中心、环卫处",
                        minutes="通报红灯超时案件；部署背街小巷保洁和夜市占道整治。", at=now - timedelta(days=12))
    m2 = meeting_record(actor=chief, kind="monthly", title="城市管理月度例会（11 月）", region=city,
                        held_at=now - timedelta(days=30), attendees="分管领导、相关职能部门",
                        minutes="研究渣土运输管理和户外广告整治。", at=now - timedelta(days=30))
    decided = [
        (m1, "背街小巷保洁全覆盖", "KF-SANIT", 10), (m1, "鼓楼夜市占道经营整治", "KF-ZD-LT", 5),
        (m1, "红灯超时案件逐件销号", "KF-CENTRE", 3), (m2, "渣土车辆密闭运输专项检查", "KF-ZD-SH", 15),
        (m2, "主干道户外广告隐患排查", "KF-LT-CGJ", 8),
    ]
    tasks = []
    for meeting, title, code, days in decided:
        tasks.append(meeting_decide(actor=chief, meeting=meeting, title=title, owner_department=departments[code],
                                    owner_person=people.get(code), working_days=days, at=meeting.held_at))
    problem_raise(actor=chief, title="背街小巷垃圾清运不及时", source="meeting", meeting=m1,
                  department=departments["KF-SANIT"], task=tasks[0], at=m1.held_at)
    problem_raise(actor=chief, title="龙亭区夜市油烟扰民、占道经营反弹", source="inspection",
                  department=departments["KF-ZD-LT"], working_days=7, at=now - timedelta(days=3))
    _problem_from_case(chief, departments["KF-ROADS"], now)
    progress_report(actor=tasks[2].owner_person or chief, task=tasks[2], percent=100, text="红灯案件已全部销号。",
                    files=[_png()], closes=True, at=now - timedelta(days=5))
    out = sweep(now=now)
    stdout.write(f"demo task lists: {count} programme tasks in {len(CATEGORIES)} categories, "
                 f"{len(decided)} meeting decisions, {out['urged']} overdue tasks urged")


def _progress(task, rng, now) -> None:
    span = (task.deadline - task.started_at).total_seconds()
    used = min(1.0, (now - task.started_at).total_seconds() / span)
    author = task.owner_person or task.leader
    if used >= 1 and rng.random() < 0.7 or used < 1 and rng.random() < 0.25:
        at = min(now, task.deadline - timedelta(days=1))
        progress_report(actor=author, task=task, percent=100, text="已按期完成，材料齐全。", files=[_png()],
                        closes=True, at=at)
        return
    percent = int(min(95, used * 100 * rng.uniform(0.6, 1.1)))
    progress_report(actor=author, task=task, percent=max(5, percent), text="按计划推进中。",
                    at=task.started_at + (now - task.started_at) / 2)


def _problem_from_case(chief, department, now) -> None:
    from chengguan.cases.models import Case

    case = Case.objects.filter(matter__code__startswith="01").order_by("-pk").first()
    if case is None:
        return
    problem_raise(actor=chief, title=f"案卷 {case.number} 暴露的设施养护问题", source="case", case=case,
                  department=department, working_days=10, at=now - timedelta(days=2))
