"""Demo city, enforcement part: the 77-item sample power list with Kaifeng-style transfer history, discretion
benchmarks, certificates for `officer` and `officer2`, and cases in several states, each walked through the
real services with back-dated times (so every demo case is a lawful history in the audit chain).

Kaifeng integrated 349 penalty powers into the city management bureau and delegated 312 of them to the
districts; the demo records, for the 77 sample items, their integration from the original departments and
the delegation of most of them to the districts (a few further to streets). Idempotent: it does nothing when
the demo cases exist already.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.org.models import Department, OfficerCertificate, Region, Role, RoleAssignment, User

from .kaifeng import SAMPLE_NOTE, national_csv
from .models import (
    DiscretionBand,
    DiscretionBenchmark,
    EnforcementBody,
    EnforcementCase,
    PowerItem,
    PowerTransfer,
)
from .services import case_act, case_register_clue
from .services.powers import power_list_import

BUREAU = "开封市城市管理局"
ORIGINAL_DEPARTMENT = {
    "城乡规划 / 违法建设": "开封市自然资源和规划局",
    "市容环境卫生": "开封市市容环境卫生管理部门",
    "城市道路": "开封市住房和城乡建设局（市政）",
    "园林绿化": "开封市园林绿化管理部门",
    "大气污染": "开封市生态环境局",
    "生活垃圾 / 建筑垃圾": "开封市住房和城乡建设局",
    "噪声": "开封市生态环境局",
    "排水、燃气、无障碍、停车": "开封市住房和城乡建设局、公安交通管理部门",
}
CITY_LEVEL = {1, 2, 3, 4, 6, 52, 53, 54, 72, 74, 76}  # large construction, waste and utility powers stay at the city
STREET_LEVEL = {8, 9, 10, 12}  # everyday 市容 powers devolved further to the streets
FIRST_VIOLATION_LIST = {29, 10, 12, 15}
INTEGRATED_ON, DELEGATED_ON, STREET_ON = date(2019, 6, 1), date(2021, 7, 15), date(2023, 1, 1)
DEMO_NOTE = "演示数据"

# item number → (party type, basis, statutory min, max, [(level, min, max, criteria, conditions)])
BENCHMARKS = {
    26: ("", "fixed", 0, 20000, [
        ("minor", 0, 2000, "占用面积10㎡以下", {"area_m2__lt": 10}),
        ("general", 2000, 8000, "占用面积10–50㎡", {}),
        ("serious", 8000, 15000, "占用面积50㎡以上", {"area_m2__gte": 50}),
        ("severe", 15000, 20000, "造成交通事故等严重后果", {"harm": "serious"})]),
    43: ("organisation", "fixed", 10000, 100000, [
        ("minor", 10000, 20000, "裸露面积1000㎡以下且未造成扬尘污染", {"area_m2__lt": 1000, "harm": "none"}),
        ("general", 20000, 50000, "一般情形", {}),
        ("serious", 50000, 80000, "裸露面积5000㎡以上", {"area_m2__gte": 5000}),
        ("severe", 80000, 100000, "重污染天气预警期间或造成严重污染", {"harm": "serious"})]),
    47: ("", "fixed", 500, 20000, [
        ("minor", 500, 2000, "烧烤炉具1个", {"count__lte": 1}),
        ("general", 2000, 8000, "烧烤炉具2–3个", {}),
        ("serious", 8000, 15000, "烧烤炉具4个以上", {"count__gte": 4}),
        ("severe", 15000, 20000, "重污染天气期间或引发群众投诉较大影响", {"harm": "serious"})]),
    16: ("organisation", "fixed", 10000, 100000, [
        ("general", 10000, 30000, "广告面积20㎡以下", {}),
        ("serious", 30000, 60000, "广告面积20㎡以上", {"area_m2__gte": 20}),
        ("severe", 60000, 100000, "危及公共安全", {"harm": "serious"})]),
    17: ("", "fixed", 500, 5000, [
        ("minor", 500, 1000, "堆放面积5㎡以下", {"area_m2__lt": 5}),
        ("general", 1000, 3000, "堆放面积5–30㎡", {}),
        ("serious", 3000, 5000, "堆放面积30㎡以上", {"area_m2__gte": 30})]),
    1: ("", "percent_of_cost", 0, None, [
        ("minor", 5, 6, "主动改正、及时补办手续", {"corrected": True}),
        ("general", 6, 8, "一般情形", {}),
        ("serious", 8, 10, "影响规划实施较大", {"harm": "serious"})]),
    8: ("person", "fixed", 0, 200, [
        ("general", 50, 50, "一般情形", {}),
        ("serious", 200, 200, "情节严重", {"harm": "serious"})]),
    54: ("organisation", "fixed", 100000, 1000000, [
        ("general", 100000, 300000, "倾倒量100立方米以下", {}),
        ("serious", 300000, 600000, "倾倒量100立方米以上", {"count__gte": 100}),
        ("severe", 600000, 1000000, "造成环境污染", {"harm": "serious"})]),
}


def _moment(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def _load_powers(stdout) -> None:
    result = power_list_import(actor=None, source=national_csv(), implementing_body=BUREAU,
                               supervision_channel="12319 城建服务热线；12345 政务服务便民热线")
    for item in PowerItem.objects.filter(code__startswith="CG-"):
        number = item.sort_order
        if item.transfers.exists():
            continue
        original = ORIGINAL_DEPARTMENT.get(item.domain, "原主管部门")
        PowerTransfer.objects.create(item=item, kind="integrated", from_body=original, to_body=BUREAU, to_level="city",
                                     effective_on=INTEGRATED_ON, document="相对集中行政处罚权实施决定", note=DEMO_NOTE)
        level = "city"
        if number not in CITY_LEVEL:
            PowerTransfer.objects.create(item=item, kind="delegated", from_body=BUREAU, to_body="各区城市管理局",
                                         to_level="district", effective_on=DELEGATED_ON, document="执法权限下放决定",
                                         note=DEMO_NOTE)
            level = "district"
        if number in STREET_LEVEL:
            PowerTransfer.objects.create(item=item, kind="delegated", from_body="各区城市管理局",
                                         to_body="街道综合行政执法队", to_level="street", effective_on=STREET_ON,
                                         document="赋予街道行政执法权事项清单", note=DEMO_NOTE)
            level = "street"
        item.level = level
        item.implementing_body = BUREAU if level == "city" else f"{BUREAU}（委托各区城市管理局实施）"
        item.handling_unit = {"city": "综合执法支队", "district": "区城市管理执法大队",
                              "street": "街道综合行政执法队"}[level]
        item.limitation_years = 5 if number == 76 else 2  # 燃气设施安全关系生命健康
        item.first_violation_exempt = number in FIRST_VIOLATION_LIST
        item.note = SAMPLE_NOTE
        item.save()
    for number, (party, basis, low, high, bands) in BENCHMARKS.items():
        item = PowerItem.objects.get(sort_order=number, code__startswith="CG-")
        bench, _ = DiscretionBenchmark.objects.get_or_create(
            item=item, party_type=party,
            defaults={"basis": basis, "statutory_min": Decimal(low),
                      "statutory_max": None if high is None else Decimal(high), "note": DEMO_NOTE})
        if not bench.bands.exists():
            for level, lo, hi, criteria, conditions in bands:
                DiscretionBand.objects.create(benchmark=bench, level=level, amount_min=lo, amount_max=hi,
                                              criteria=criteria, conditions=conditions)
    stdout.write(f"demo enforcement: power list {result} (Kaifeng overall: 349 penalty powers integrated, "
                 f"312 delegated to districts), {len(BENCHMARKS)} discretion benchmarks")


def _people():
    officer = User.objects.get(username="officer")
    officer2, created = User.objects.get_or_create(username="officer2", defaults={"full_name": "孙执法"})
    if created:
        officer2.set_password(DEMO_PASSWORD)
        officer2.save()
    district = Region.objects.get(code="410202000000")
    squad = Department.objects.get(code="KF-ZD-LT")
    RoleAssignment.objects.get_or_create(user=officer2, role=Role.OFFICER, region=district, department=squad)
    for n, user in enumerate((officer, officer2), start=1):
        if not OfficerCertificate.objects.filter(user=user, revoked_at__isnull=True).exists():
            OfficerCertificate.objects.create(user=user, number=f"豫开执{4102020000 + n}", issuer="河南省人民政府",
                                              valid_from=date(2024, 1, 1), valid_to=date(2029, 12, 31),
                                              exam_passed_on=date(2023, 11, 1))
    return {name: User.objects.get(username=name) for name in ("officer", "assistant", "leader", "legal_reviewer")} | {
        "officer2": officer2}


class _Story:
    def __init__(self, people, region, department):
        self.people, self.region, self.department = people, region, department

    def clue(self, days_ago, who, ref, title, **particulars):
        self.case = case_register_clue(actor=self.people[who], region=self.region, department=self.department,
                                       source=particulars.pop("source", "patrol"), title=title,
                                       source_reference=f"DEMO-{ref}", now=_moment(days_ago, 9), **particulars)
        return self

    def act(self, days_ago, who, act, hour=10, **data):
        if "co_officer" in data:
            data["co_officer"] = self.people["officer2"].pk
        self.case = case_act(actor=self.people[who], case=self.case, act=act, data=data,
                             now=_moment(days_ago, hour))
        return self

    def filed(self, days_ago, findings):
        self.act(days_ago, "officer", "propose_filing", co_officer=True, opinion="经核查，违法事实存在，符合立案条件，建议立案。")
        self.act(days_ago, "leader", "approve_filing", hour=15, opinion="同意立案，由承办人调查取证。")
        return self.act(days_ago - 1, "officer", "record_inspection", co_officer=True, place=self.case.place,
                        findings=findings)


def _item(number):
    return PowerItem.objects.get(sort_order=number, code__startswith="CG-").code


def _load_cases(people, stdout) -> None:
    region = (Region.objects.filter(code__startswith="410202", level="street").order_by("code").first()
              or Region.objects.get(code="410202000000"))
    story = _Story(people, region, Department.objects.get(code="KF-ZD-LT"))
    today = timezone.localdate()
    vdate = (today - timedelta(days=76)).isoformat()

    # 1. Closed and archived.
    story.clue(100, "officer", "O6", "擅自在街道两侧堆放物料", power_item=_item(17), party_type="organisation",
               party_name="开封市某商贸有限公司", party_id_number="91410200MA48XXXX4D",
               party_address="开封市鼓楼区书店街56号", place="书店街",
               violation_date=(today - timedelta(days=101)).isoformat(), facts="门前堆放货物约20平方米。")
    story.filed(99, "门前人行道堆放货物约20㎡。")
    story.act(95, "officer", "conclude_investigation", outcome="penalty", fine_amount="2000", area_m2="20",
              report="建议罚款2000元。")
    story.act(94, "officer", "notify").act(93, "officer", "record_statement", waived=True)
    story.act(90, "leader", "decide").act(90, "officer", "serve", hour=15, method="direct", recipient="负责人")
    story.act(89, "officer", "disclose")
    story.act(85, "officer", "record_payment", amount="2000", paid_on=(today - timedelta(days=86)).isoformat(),
              channel="bank", receipt_number="ICBC-20260001")
    story.act(80, "leader", "close", summary="罚款已缴纳，违法行为已改正。").act(79, "officer", "archive")


    # 2. Payment overdue: late fee accruing, reminded (enforcement).
    story.clue(75, "officer", "O5", "擅自设置大型户外广告", power_item=_item(16), party_type="organisation",
               party_name="开封市某广告传媒有限公司", party_id_number="91410200MA47XXXX3C",
               party_address="开封市龙亭区中山路北段88号", place="中山路北段",
               violation_date=vdate, facts="未经批准设置户外广告牌约25平方米。")
    story.filed(74, "楼顶设置广告牌约25㎡，无审批手续。")
    story.act(70, "officer", "conclude_investigation", outcome="penalty", fine_amount="40000", area_m2="25",
              report="建议罚款40000元。")
    story.act(69, "officer", "notify").act(68, "officer", "record_statement", waived=True)
    story.act(60, "leader", "decide").act(59, "officer", "serve", method="direct", recipient="法定代表人")
    story.act(58, "officer", "disclose").act(38, "officer", "urge")


    # 3. Decided, served and disclosed, awaiting payment.
    story.clue(40, "officer", "O4", "施工工地未采取防尘措施", power_item=_item(43), party_type="organisation",
               party_name="开封市某置业有限公司", party_id_number="91410200MA46XXXX2B",
               party_address="开封市龙亭区汴京路18号", place="汴京路南侧工地",
               violation_date=(today - timedelta(days=41)).isoformat(), facts="工地裸露土方约3000平方米未覆盖。")
    story.filed(39, "裸露土方约3000㎡未覆盖，未洒水。")
    story.act(20, "officer", "conclude_investigation", outcome="penalty", fine_amount="30000", area_m2="3000",
              harm="minor", report="建议罚款30000元。")
    story.act(19, "officer", "notify").act(18, "officer", "record_statement", waived=True)
    story.act(6, "leader", "decide").act(5, "officer", "serve", method="direct", recipient="公司法务 张某")
    story.act(4, "officer", "disclose")


    # 4. Prior notice given, hearing requested (large fine for a citizen).
    story.clue(30, "officer", "O3", "禁止区域露天烧烤", power_item=_item(47), party_type="person", party_name="钱伟",
               party_id_number="410202198805120000", party_address="开封市龙亭区西司街12号院", place="西司夜市路口", violation_date=(today - timedelta(days=31)).isoformat(),
               facts="在禁止区域露天烧烤食品，使用烧烤炉具4个。")
    story.filed(29, "现场4个烧烤炉具正在使用，油烟扩散。")
    story.act(3, "officer", "conclude_investigation", outcome="penalty", penalty_kinds=["fine", "confiscate_property"],
              fine_amount="9000", count="4", harm="minor", report="事实清楚，证据确凿，拟没收烧烤工具并处罚款9000元。")
    story.act(2, "officer", "notify")
    story.act(1, "officer", "request_hearing")


    # 5. Summary procedure: litter, 50 yuan collected on the spot, filed with the body, closed.
    story.clue(20, "officer", "S1", "乱扔烟头", power_item=_item(8), party_type="person", party_name="赵明",
               party_id_number="410203199203150000", party_address="开封市鼓楼区卧龙街6号", place="鼓楼广场东侧", violation_date=(today - timedelta(days=20)).isoformat())
    story.act(20, "officer", "decide_on_the_spot", co_officer=True, penalty="fine", fine_amount="50",
              collect_cash=True, receipt_number="豫财罚0012345")
    story.act(19, "officer", "file_summary_record").act(18, "leader", "close", summary="当场处罚并收缴罚款，已备案。")


    # 6. Ordinary procedure at investigation, with a seizure in force.
    story.clue(12, "assistant", "O2", "占用城市道路堆放建材", power_item=_item(26), party_type="organisation",
               party_name="开封市宏达建筑工程有限公司", party_id_number="91410200MA45XXXX1A",
               party_address="开封市龙亭区北门大街100号",
               place="龙亭区北道门街西段", violation_date=(today - timedelta(days=13)).isoformat(),
               facts="未经批准占用人行道堆放砂石、钢管约40平方米。")
    story.filed(11, "人行道堆放砂石约25㎡、钢管约15㎡，未设置警示标志。")
    story.act(9, "officer", "record_inquiry", co_officer=True, person="开封市宏达建筑工程有限公司",
              content="问：堆放物是否你公司所有？答：是，临时堆放，未办理占道手续。")
    story.act(9, "officer", "request_seizure", kind="seize", reason="堆放物阻碍通行，当事人拒不清理",
              items="钢管 120 根\n脚手架扣件 300 个")
    measure = story.case.measures.get().pk
    story.act(9, "leader", "approve_seizure", hour=14, measure=measure, approve=True, reason="同意")
    story.act(8, "officer", "seize", co_officer=True, measure=measure)


    # 7. Criminal referral: construction waste dumped on a large scale.
    # Handed over 7 days ago: the police reply (3 days) is overdue, so the referral is escalated below.
    story.clue(11, "officer", "R7", "施工单位擅自倾倒建筑垃圾", power_item=_item(54), party_type="organisation",
               party_name="开封市某土石方工程有限公司", party_id_number="91410200MA49XXXX5E",
               party_address="开封市祥符区黄河路9号", place="黄河大堤南侧",
               violation_date=(today - timedelta(days=12)).isoformat(), facts="夜间倾倒建筑垃圾约800立方米。")
    story.filed(10, "现场建筑垃圾约800立方米，掺杂疑似危险废物。")
    story.act(8, "officer", "report_crime", co_officer=True, offence="污染环境罪（涉嫌）",
              report="倾倒数量巨大且疑含危险废物，已达追诉标准，建议移送公安机关。")
    story.act(7, "leader", "decide_referral", approve=True).act(7, "officer", "hand_over", hour=16,
                                                                   police_unit="开封市公安局龙亭分局")


    _judicial_linkage(story, people, today, stdout)

    # 8. A fresh clue registered by the assistant.
    story.clue(0, "assistant", "C8", "占用城市道路设摊经营", power_item=_item(26), place="鼓楼街夜市", party_type="person",
               party_name="孙某")
    stdout.write(f"demo enforcement: {EnforcementCase.objects.count()} cases in several states")


def load(*, stdout) -> None:
    bureau = Department.objects.filter(code="KF-CGJ").first()
    if bureau is None:
        stdout.write("demo enforcement: no demo organisation; skipped")
        return
    EnforcementBody.objects.get_or_create(department=bureau, defaults={
        "name": BUREAU, "short_name": "汴城管", "review_authority": "开封市人民政府",
        "court": "开封市龙亭区人民法院", "procuratorate": "开封市龙亭区人民检察院", "bank": "中国工商银行开封分行（罚没款代收）",
        "address": "开封市城市管理局", "phone": "12319"})
    if EnforcementCase.objects.filter(source_reference__startswith="DEMO-").exists():
        stdout.write("demo enforcement already loaded; reusing it")
        return
    _load_powers(stdout)
    people = _people()
    _police_liaison()
    _load_cases(people, stdout)
    _clue_from_a_digital_case(people, stdout)


def _clue_from_a_digital_case(people, stdout) -> None:
    """9. The latest 数字城管 case of a mapped problem type in 龙亭区 opened as a clue from its page, with its photos."""
    from chengguan.cases.models import Case
    from chengguan.core.errors import DomainError

    from .services.from_case import MATTER_POWERS, clue_from_case

    case = (Case.objects.filter(matter__code__in=MATTER_POWERS, district__code="410202000000",
                                enforcement_cases__isnull=True).order_by("-reported_at").first())
    if case is None:
        return
    try:
        clue = clue_from_case(actor=people["officer"], case_id=case.pk)
    except DomainError as exc:
        stdout.write(f"demo enforcement: case {case.number} not opened as a clue ({exc.message})")
        return
    stdout.write(f"demo enforcement: case {case.number} opened as clue {clue.clue_number} "
                 f"with {clue.evidence.count()} photos as evidence")


POLICE_UNIT = "开封市公安局龙亭分局"


def _police_liaison():
    """The 龙亭分局 liaison: a light `police` login that sees only the referrals and briefings sent to its unit."""
    from django.contrib.auth.hashers import make_password

    psb = Department.objects.filter(code="KF-PSB").first()
    unit, _ = Department.objects.get_or_create(code="KF-PSB-LT", defaults={
        "name": POLICE_UNIT, "kind": "police", "parent": psb, "region": Region.objects.get(code="410202000000")})
    user, created = User.objects.get_or_create(username="police", defaults={
        "full_name": "龙亭分局联络民警", "password": make_password(DEMO_PASSWORD)})
    RoleAssignment.objects.get_or_create(user=user, role=Role.POLICE, department=unit)
    return unit


def _judicial_linkage(story, people, today, stdout):
    """The referral of story 7 waits for the police past its 3 days: escalated (leader notice, procuratorate copy
    recorded as 检察监督); a briefing goes to the police unit and the court; the archived case's file is reviewed."""
    from .models import CaseFileReview
    from .services.linkage import case_brief, run_escalations
    from .services.review import CRITERIA, case_file_review

    unit = Department.objects.get(code="KF-PSB-LT")
    case_brief(actor=people["officer"], case=story.case, police_department=unit, court="开封市龙亭区人民法院",
               subject="涉嫌污染环境案件情况通报", text="黄河大堤南侧倾倒建筑垃圾约800立方米，疑含危险废物，已移送龙亭分局，请关注。",
               now=_moment(6, 11))
    escalated = run_escalations(now=_moment(0, 8))
    archived = EnforcementCase.objects.filter(state="archived", source_reference__startswith="DEMO-").first()
    if archived is not None and not CaseFileReview.objects.filter(case=archived).exists():
        scores = {code: maximum for code, _label, maximum in CRITERIA} | {"procedure": 20, "documents": 8}
        case_file_review(actor=people["legal_reviewer"], case=archived, scores=scores,
                         comments="程序基本规范，送达回证签收日期书写不清。", now=_moment(30, 10))
    stdout.write(f"demo enforcement: {escalated} overdue referral escalated, 1 briefing, 1 case file reviewed")
