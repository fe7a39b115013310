"""Oversight in the Kaifeng demo: work permits for the assistants (before the enforcement demo puts them on cases)
and complaints about the demo officer in every state of the workflow, one substantiated (→ his file)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from chengguan.org.models import Department, Region, Role, RoleAssignment, User

from .models import AssistantPermit, Complaint
from .permits import permit_issue
from .services import (
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_receive,
    complaint_reply,
)

# The enforcement demo puts the assistants on cases: their work permits come first (the app itself sits after
# patrol in LOCAL_APPS so that enforcement's and patrol's words win where the two apps use one English word).
RUN_BEFORE = "chengguan.enforcement"


def _moment(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def load(*, stdout) -> None:
    district = Region.objects.filter(code="410202000000").first()
    leader = User.objects.filter(username="leader").first()
    if district is None or leader is None:
        stdout.write("demo oversight: no demo organisation; skipped")
        return
    today = timezone.localdate()
    issued = 0
    # Only the assistants that exist before the other demos (the `assistant` login): the patrol demo's generated
    # assistants come later and are listed on the permits page as still without one. Once, on the first load.
    first = not AssistantPermit.objects.exists()
    for a in RoleAssignment.objects.filter(role=Role.ASSISTANT).select_related("user", "region"):
        if not first or AssistantPermit.objects.filter(user=a.user).exists():
            continue
        permit_issue(actor=leader, user=a.user, region=a.region or district, valid_from=today - timedelta(days=300),
                     valid_to=today + timedelta(days=700), issuer="开封市城市管理局")
        issued += 1
    if Complaint.objects.exists():
        stdout.write(f"demo oversight: {issued} permits issued; complaints already loaded")
        return
    people = {u.username: u for u in User.objects.filter(username__in=[
        "officer", "leader", "legal_reviewer", "operator", "supervisor"])}
    officer, reviewer = people["officer"], people["legal_reviewer"]
    squad = Department.objects.filter(code="KF-ZD-LT").first()

    # 1. Substantiated, with accountability, replied: goes into the officer's five-in-one file.
    c = complaint_receive(channel="portal", region=district, conduct="rude", phone="13803781234", name="王女士",
                          text="在鼓楼街夜市，执法人员态度粗暴，推搡摊主，未出示执法证件。", place="鼓楼街夜市",
                          officer_hint="戴眼镜的男队员，车牌豫B·F1234", occurred_on=today - timedelta(days=41),
                          now=_moment(40, 20))
    complaint_assign(actor=leader, complaint=c, investigator=reviewer, officer=officer, department=squad,
                     now=_moment(39, 9))
    complaint_investigate(actor=reviewer, complaint=c, findings="调取执法记录仪视频和现场监控，当事队员确有推搡行为，且未主动亮证。",
                          now=_moment(33, 15))
    complaint_conclude(actor=leader, complaint=c, substantiated=True, measure="criticism",
                       conclusion="投诉属实。对当事队员通报批评，责令书面检查，组织文明执法再培训。", now=_moment(32, 10))
    complaint_reply(actor=reviewer, complaint=c, text="您反映的问题经调查属实，已对当事执法人员通报批评并责令整改，感谢您的监督。",
                    now=_moment(31, 10))
    # 2. From the hotline, not substantiated, replied.
    c = complaint_receive(actor=people["operator"], channel="hotline", region=district, conduct="abuse",
                          phone="13903785678", name="刘先生", text="反映城管扣押三轮车后不开具清单。",
                          hotline_reference="12345-2026-118832", now=_moment(25, 9))
    complaint_assign(actor=leader, complaint=c, investigator=reviewer, officer=officer, department=squad,
                     now=_moment(24, 9))
    complaint_investigate(actor=reviewer, complaint=c, findings="查扣押决定书及物品清单，当场已开具并由当事人签收。",
                          now=_moment(20, 15))
    complaint_conclude(actor=leader, complaint=c, substantiated=False, conclusion="投诉不属实，扣押程序合法。",
                       now=_moment(19, 10))
    complaint_reply(actor=leader, complaint=c, text="经核查，扣押时已当场开具物品清单并经您签收，程序合法。",
                    now=_moment(18, 10))
    # 3. A supervisor's finding, under investigation.
    c = complaint_receive(actor=people["supervisor"], channel="supervisor", region=district, conduct="appearance",
                          phone="13700001111", name="王监督", text="巡查中发现执法队员执勤时未开启执法记录仪。",
                          officer=officer, place="书店街", now=_moment(6, 10))
    complaint_assign(actor=leader, complaint=c, investigator=reviewer, department=squad, now=_moment(5, 9))
    # 4. Just in from the portal: to be assigned.
    complaint_receive(channel="portal", region=district, conduct="inaction", phone="13600002222",
                      text="多次反映马道街占道经营，城管来了就走，没有处理。", place="马道街", now=_moment(1, 21))
    stdout.write(f"demo oversight: {issued} permits issued, {Complaint.objects.count()} complaints")
