"""Test helpers other apps use (not a test module): `Walker` brings a case into any state through the real
services with the personas of the `city` fixture (`chengguan/conftest.py`), and `params_for` gives valid
input for any transition of the table. Used by the cases tests and the system proofs (permission matrix).
Needs `make_grids(city)` first so reports land in a staffed grid."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from PIL import Image

from chengguan.catalog.models import FilingCondition

from .evidence import attachment_create
from .services import case_act, case_report
from .workflow import State

TZ = ZoneInfo("Asia/Shanghai")
# A Tuesday in a normal working week (no holiday near it).
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
# Centre of grid 410202001001006 (西门社区, district A): inside the supervisor's responsibility grid.
POINT_A = (114.3075, 34.8075)
POINT_B = (114.3325, 34.8075)  # district B (顺河), the outsider's grid


def png_bytes(color=(200, 30, 30), size=(8, 8), fmt="PNG", exif=None) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name="photo.png"):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def report(city, matter, *, point=POINT_A, by="supervisor", source="supervisor", **extra):
    actor = city[by] if by else None
    return case_report(
        actor=actor,
        source=source,
        matter=matter,
        lng=point[0],
        lat=point[1],
        crs=extra.pop("crs", "gcj02"),
        description=extra.pop("description", "路边有暴露垃圾"),
        address=extra.pop("address", "西门大街 12 号"),
        **extra,
    )


class Walker:
    """Brings a fresh case into a state using the personas, exactly as people would."""

    def __init__(self, city, matter):
        self.city, self.matter = city, matter
        self.condition = FilingCondition.objects.filter(matter=matter, is_active=True).order_by("pk").first()

    def act(self, case, action, by, **params):
        return case_act(actor=self.city[by], case=case, action=action, **params)

    def photo(self, user):
        return attachment_create(actor=user, file=Upload(png_bytes()), kind="after").pk

    def new(self, **extra):
        return report(self.city, self.matter, **extra)

    def to(self, state, **extra):
        c = self.new(**extra)
        sanitation = self.city.sanitation.pk
        paths = {
            State.REPORTED: [],
            State.VERIFYING: [("request_verification", "operator", {})],
            State.ACCEPTED: [("accept", "operator", {})],
            State.REJECTED: [("reject", "operator", {"reason": "不属于城管范围"})],
            State.FILED: [("accept", "operator", {}), ("file", "shift_leader", self._file())],
            State.VOIDED: [("accept", "operator", {}), ("void", "shift_leader", {"reason": "重复立案"})],
            State.DISTRICT_DISPATCHED: [
                ("accept", "operator", {}),
                ("file", "shift_leader", self._file()),
                ("dispatch", "dispatcher", {"district_id": self.city.district_a.pk}),
            ],
            State.DISPATCHED: [
                ("accept", "operator", {}),
                ("file", "shift_leader", self._file()),
                ("dispatch", "dispatcher", {"department_id": sanitation}),
            ],
        }
        if state in paths:
            steps = paths[state]
        elif state == State.RETURNED:
            steps = paths[State.DISPATCHED] + [("return", "department_handler", {"reason": "非本部门职责"})]
        elif state == State.HUNG_UP:
            steps = paths[State.DISPATCHED] + [("hang_up", "dispatcher", {"reason": "需专项资金"})]
        elif state == State.CHECKING:
            steps = paths[State.DISPATCHED] + [("reply", "department_handler", {"reason": "已清理"})]
        elif state in (State.CHECK_PASSED, State.CLOSED):
            steps = paths[State.DISPATCHED] + [
                ("reply", "department_handler", {"reason": "已清理"}),
                ("check_pass", "supervisor", {}),
            ]
            if state == State.CLOSED:
                steps.append(("close", "shift_leader", {}))
        elif state == State.SELF_HANDLED:
            steps = [("self_handle", "supervisor", {"reason": "已现场清理", "photos": "photo"})]
        elif state == State.MERGED:
            target = self.new()
            steps = [("merge", "operator", {"target_id": target.pk})]
        else:  # pragma: no cover - a new state needs a path here
            raise AssertionError(f"no path to {state}")
        for action, by, params in steps:
            params = dict(params)
            if params.get("photos") == "photo":
                params["photos"] = [self.photo(self.city[by])]
            c = self.act(c, action, by, **params)
        assert c.state == state
        return c

    def _file(self):
        return {"filing_condition_id": self.condition.pk} if self.condition else {}


def params_for(walk, case, transition):
    """Valid input for an action, and whatever must already exist (a pending request)."""
    city = walk.city
    action = transition.action
    if action == "dispatch":
        if transition.variant == "district":
            return {"district_id": city.district_a.pk}
        return {"department_id": city.sanitation.pk}
    if action in ("approve_extension", "deny_extension"):
        walk.act(
            case, "request_extension", "department_handler", amount=4, unit="working_hours", reason="材料未到"
        )
    if action == "deny_hang_up":
        walk.act(case, "request_hang_up", "department_handler", reason="需立项")
    return {
        "reject": {"reason": "重复"},
        "verify": {"confirmed": True},
        "merge": {"target_id": walk.new().pk},
        "self_handle": {"reason": "已清理", "photos": [walk.photo(city["supervisor"])]},
        "file": walk._file(),
        "void": {"reason": "误立案"},
        "return": {"reason": "非本部门"},
        "request_extension": {"amount": 2, "unit": "working_hours", "reason": "需协调"},
        "request_hang_up": {"reason": "需立项"},
        "hang_up": {"reason": "需专项资金"},
        "reply": {"reason": "已清理"},
        "check_fail": {"reason": "仍有垃圾"},
    }.get(action, {})
