"""Demo cases for Kaifeng: a few hundred cases in every state over the last weeks, made by the services.

Every case is walked through the real services with past timestamps (`at=`), so its history is a legal one:
some steps late, some cases reworked, extended, hung up, returned, merged or self-handled; then the sweeper
runs once, urging and escalating what is overdue now. Deterministic (seeded), idempotent (skipped when demo
cases exist), and a few seconds long. A handler account is added for each disposal department that has none,
so that every dispatched case has someone to handle it (username `dept-<code>`, the demo password).
"""

import io
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from PIL import Image

from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.catalog.services import suggest_department
from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.grids.geometry import to_shape
from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import Department, Region, Role, RoleAssignment, User

from .evidence import attachment_create
from .models import Case
from .notify import silenced
from .services import case_act, case_report
from .services.sweeper import sweep
from .signals import cases_imported
from .workflow import State

SEED = 2026
DEMO_TAG = "DEMO-"
MATTERS = [
    "06010",
    "06010",
    "06042",
    "06012",
    "06013",
    "06014",
    "07001",
    "09005",
    "09006",
    "01001",
    "01002",
    "01037",
]
# How many cases end in each state.
PLAN = {
    State.REPORTED: 20,
    State.VERIFYING: 12,
    State.ACCEPTED: 15,
    State.FILED: 15,
    State.DISTRICT_DISPATCHED: 8,
    State.RETURNED: 8,
    State.DISPATCHED: 45,
    State.HUNG_UP: 10,
    State.CHECKING: 20,
    State.CHECK_PASSED: 12,
    State.SELF_HANDLED: 10,
    State.CLOSED: 90,
    State.REJECTED: 12,
    State.VOIDED: 8,
    State.MERGED: 15,
}
ADDRESSES = ["中山路", "自由路", "鼓楼街", "书店街", "解放路", "大梁路", "西门大街", "宋门关", "曹门关", "包公湖北路",
             "汴京路", "夷山大街", "河道街", "双龙巷", "寺后街", "马道街"]  # fmt: skip
DESCRIPTIONS = {
    "06010": "路边有成堆暴露垃圾，影响市容",
    "06042": "垃圾箱满溢，周边散落垃圾",
    "06012": "人行道油污明显，保洁不到位",
    "06013": "路面坑槽，车辆通行颠簸",
    "06014": "渣土车遗撒，路面泥土较多",
    "07001": "墙面、电线杆张贴非法小广告",
    "09005": "商户店外经营，占用人行道",
    "09006": "流动摊贩占道经营",
    "01001": "供水井盖破损，存在安全隐患",
    "01002": "污水井盖松动有响声",
    "01037": "路灯不亮，夜间照明不足",
}


def _jpeg(rng) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "demo.jpg"
    buf.size = len(buf.getvalue())
    return buf


class Demo:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.now = timezone.now().replace(microsecond=0)
        self.users = {r.value: User.objects.filter(username=r.value).first() for r in Role}
        self.handlers = self._department_handlers()
        self.matters = {m.code: m for m in MatterType.objects.filter(code__in=set(MATTERS))}
        self.conditions = {}
        for fc in FilingCondition.objects.filter(matter__code__in=set(MATTERS), is_active=True).order_by(
            "pk"
        ):
            self.conditions.setdefault(fc.matter.code, fc)
        self.places = self._places()

    def _department_handlers(self) -> dict[int, User]:
        handlers = {}
        for ra in RoleAssignment.objects.filter(role=Role.DEPARTMENT_HANDLER).select_related(
            "department", "user"
        ):
            handlers.setdefault(ra.department_id, ra.user)
        password = make_password(DEMO_PASSWORD)
        for dept in Department.objects.filter(
            kind__in=["disposal", "disposal_unit", "brigade", "bureau", "police"]
        ):
            if dept.pk in handlers:
                continue
            user, _ = User.objects.get_or_create(
                username=f"dept-{dept.code.lower()}",
                defaults={"full_name": f"{dept.name}处置员", "password": password},
            )
            RoleAssignment.objects.get_or_create(user=user, role=Role.DEPARTMENT_HANDLER, department=dept)
            handlers[dept.pk] = user
        return handlers

    def _places(self) -> list:
        """(point, supervisor) pairs: one representative point per unit grid of a staffed responsibility grid."""
        places = []
        grids = ResponsibilityGrid.objects.prefetch_related("supervisors").order_by("code")
        for rg in grids:
            supervisors = list(rg.supervisors.order_by("pk"))
            if not supervisors:
                continue
            for ug in rg.unit_grids.order_by("code")[:6]:
                point = to_shape(ug.geometry).representative_point()
                places.append(((point.x, point.y), supervisors[0]))
        self.rng.shuffle(places)
        return places

    # --- one case -------------------------------------------------------------------------------------------

    def gap(self, low, high, late_share=0.15):
        minutes = self.rng.uniform(low, high)
        if self.rng.random() < late_share:
            minutes *= self.rng.uniform(2, 6)
        return timedelta(minutes=minutes)

    def handler(self, case):
        return self.handlers.get(case.current_department_id)

    def department_for(self, case):
        """The routing suggestion, or any disposal department when the city has no rule for the matter."""
        suggested = suggest_department(matter=case.matter, unit_grid=case.unit_grid, component=case.component)
        return suggested or Department.objects.filter(kind="disposal", is_active=True).order_by("pk").first()

    def make(self, index: int, target_state: str, merge_targets: list):
        rng = self.rng
        (lng, lat), supervisor = self.places[index % len(self.places)]
        code = MATTERS[index % len(MATTERS)]
        kind = rng.random()
        source = "supervisor" if kind < 0.6 else ("citizen" if kind < 0.8 else "hotline")
        if target_state in (State.VERIFYING,):
            source = "citizen"
        if target_state == State.SELF_HANDLED:
            source = "supervisor"
        # older cases got further; open early-stage ones are recent
        depth = {State.REPORTED: 0.2, State.VERIFYING: 0.3, State.ACCEPTED: 0.5, State.FILED: 0.6}.get(
            target_state, 1
        )
        at = self.now - timedelta(days=rng.uniform(0.2, 26 * depth), minutes=rng.randrange(600))
        if target_state == State.MERGED and merge_targets:  # a duplicate comes after the report it repeats
            chosen = rng.choice(merge_targets)
            at = max(at, chosen.reported_at + timedelta(minutes=rng.randrange(5, 240)))
            merge_targets = [chosen]
        actor = (
            supervisor
            if source == "supervisor"
            else (self.users["operator"] if source == "hotline" else None)
        )
        case = case_report(
            actor=actor,
            source=source,
            matter=self.matters[code],
            lng=lng + rng.uniform(-0.0001, 0.0001),
            lat=lat + rng.uniform(-0.0001, 0.0001),
            crs="gcj02",
            description=DESCRIPTIONS.get(code, "发现问题"),
            address=f"{rng.choice(ADDRESSES)}{rng.randrange(1, 300)}号",
            reporter_name="" if actor else rng.choice(["张先生", "李女士", "王先生", "赵女士", "市民"]),
            reporter_phone="" if actor else f"139{rng.randrange(10**8):08d}",
            reported_at=at,
            external_id=f"{DEMO_TAG}{index:04d}",
            channel_ref={"citizen": "wechat", "hotline": "12345"}.get(source, "app"),
            at=at,
            system_role=None if actor else ("citizen" if source == "citizen" else "system"),
        )
        walker = Walk(self, case, at, supervisor)
        walker.to(target_state, merge_targets)
        return walker.case


class Walk:
    """Moves one demo case forward step by step, each step a little later than the last."""

    def __init__(self, demo: Demo, case, at, supervisor):
        self.demo, self.case, self.at, self.supervisor = demo, case, at, supervisor

    def step(self, action, actor, low, high, **params):
        self.at = min(self.at + self.demo.gap(low, high), self.demo.now - timedelta(minutes=1))
        system_role = None if actor is not None else "system"
        self.case = case_act(
            actor=actor, case=self.case, action=action, at=self.at, system_role=system_role, **params
        )
        return self.case

    def photo(self, actor):
        return [attachment_create(actor=actor, file=_jpeg(self.demo.rng), kind="after", at=self.at).pk]

    def to(self, target, merge_targets):
        d, u, rng = self.demo, self.demo.users, self.demo.rng
        if target == State.REPORTED:
            return
        if target == State.SELF_HANDLED:
            self.step(
                "self_handle",
                self.case.reporter,
                5,
                30,
                reason="已现场处理",
                photos=self.photo(self.case.reporter),
            )
            return
        if self.case.source == "citizen":
            self.step("request_verification", u["operator"], 3, 25)
            if target == State.VERIFYING:
                return
            self.step("verify", self.case.assignee or self.supervisor, 10, 50, confirmed=True)
        if target == State.REJECTED:
            self.step("reject", u["operator"], 3, 20, reason="不属于城管受理范围")
            return
        earlier = [t for t in merge_targets if t.reported_at < self.at]  # a merge never precedes its target
        if target == State.MERGED and earlier:
            self.step("merge", u["operator"], 3, 20, target_id=rng.choice(earlier).pk, reason="重复上报")
            return
        self.step("accept", u["operator"], 2, 25)
        if target in (State.ACCEPTED, State.MERGED):
            return
        condition = d.conditions.get(self.case.matter.code)
        file_params = {"filing_condition_id": condition.pk} if condition else {}
        if target == State.VOIDED:
            self.step("void", u["shift_leader"], 5, 40, reason="经复核不符合立案条件")
            return
        self.step("file", u["shift_leader"], 3, 30, **file_params)
        if target == State.FILED:
            return
        if target == State.DISTRICT_DISPATCHED:
            self.step("dispatch", u["dispatcher"], 5, 40, district_id=self.case.district_id)
            return
        self.step("dispatch", u["dispatcher"], 5, 40, department_id=d.department_for(self.case).pk)
        if target == State.RETURNED:
            self.step("return", d.handler(self.case), 30, 300, reason="非本单位职责范围")
            return
        if rng.random() < 0.25:  # asked for more time
            self.step("request_extension", d.handler(self.case), 60, 600, amount=1, unit="working_days",
                      reason="需协调相关单位")  # fmt: skip
            if target != State.DISPATCHED or rng.random() < 0.6:
                self.step("approve_extension", u["dispatcher"], 10, 120, reason="同意延期")
        if target == State.HUNG_UP:
            self.step("request_hang_up", d.handler(self.case), 60, 900, reason="需专项资金，近期无法解决")
            self.step("hang_up", u["dispatcher"], 10, 200, reason="同意挂账")
            return
        if target == State.DISPATCHED:
            return
        rework = rng.random() < 0.2
        self.step(
            "reply",
            d.handler(self.case),
            120,
            2400,
            reason="已处置完毕",
            photos=self.photo(d.handler(self.case)),
        )
        if rework and target in (State.CLOSED, State.CHECK_PASSED):
            self.step("check_fail", self.case.assignee or self.supervisor, 10, 90, reason="现场仍未处理到位")
            self.step("reply", d.handler(self.case), 60, 1200, reason="已返工处理")
        if target == State.CHECKING:
            return
        self.step("check_pass", self.case.assignee or self.supervisor, 10, 90)
        if target == State.CHECK_PASSED:
            return
        self.step("close", u["shift_leader"], 5, 60)


STOCK_PHRASES = {
    "accept": ["信息完整，予以受理"],
    "reject": ["不属于城管受理范围", "重复上报", "信息不全，无法核实"],
    "file": ["符合立案条件"],
    "return": ["非本部门职责，请重新派遣"],
    "reply": ["已处置完毕，现场已清理", "已督促责任单位整改到位"],
    "check_pass": ["现场核查，问题已解决"],
    "check_fail": ["现场问题仍然存在，请返工"],
    "close": ["处置合格，予以结案"],
}


def load_stock_phrases() -> None:
    from .models import StockPhrase

    if not StockPhrase.objects.exists():
        StockPhrase.objects.bulk_create(
            [StockPhrase(action=a, text=t, order=i) for a, texts in STOCK_PHRASES.items() for i, t in enumerate(texts)]
        )


# The demo city asks for a photo on field reports of damaged or missing manhole covers (井盖, 01001–01023): the
# history above predates the rule; new reports from the phones follow it.
PHOTO_REQUIRED_MATTERS = [f"010{n:02d}" for n in range(1, 24)]


def require_photos() -> None:
    from chengguan.catalog.models import FilingCondition

    FilingCondition.objects.filter(matter__code__in=PHOTO_REQUIRED_MATTERS, photo_required=False).update(
        photo_required=True
    )


def load(*, stdout) -> None:
    load_stock_phrases()
    if Case.objects.filter(external_id__startswith=DEMO_TAG).exists():
        stdout.write("demo cases already loaded; reusing them")
        return
    if not Region.objects.filter(level="community").exists() or not MatterType.objects.exists():
        stdout.write("demo cases skipped: no demo geography")
        return
    demo = Demo(stdout)
    if not demo.places:
        stdout.write("demo cases skipped: no staffed responsibility grids")
        return
    targets = [s for s, n in PLAN.items() for _ in range(n)]
    demo.rng.shuffle(targets)
    targets.sort(key=lambda s: s == State.MERGED)  # merges come last, into cases that are open by then
    made, merge_targets, ids = 0, [], []
    with silenced():
        for index, state in enumerate(targets):
            case = demo.make(index, state, merge_targets)
            if case.state in (State.REPORTED, State.ACCEPTED) and case.source != "citizen":
                merge_targets.append(case)
            ids.append(case.pk)
            made += 1
    transaction.on_commit(lambda: cases_imported.send(sender=Case, case_ids=sorted(ids)))
    swept = sweep(now=demo.now)  # the overdue ones land in the demo users' inboxes
    require_photos()
    stdout.write(f"demo cases: {made} cases; sweeper urged {swept['urged']}, escalated {swept['escalated']}")
