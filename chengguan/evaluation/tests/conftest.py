"""Fixtures for evaluation tests: a frozen clock in March 2026, grids on the `city`, and `story` to replay a
case's life through the real case services at given times (facts are maintained by the signal as in
production: each action's on-commit callbacks run)."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from chengguan.cases.evidence import attachment_create
from chengguan.cases.services import case_act, case_report
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.grids.testing import make_grids

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)  # a Tuesday of a normal working week
POINT_A = (114.3075, 34.8075)  # district A (龙亭), inside the supervisor's responsibility grid
POINT_B = (114.3325, 34.8075)  # district B (顺河), the outsider's grid


def at(day: int, hh: int, mm: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hh, mm, tzinfo=TZ)


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name="photo.png"):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 20)).save(buf, format="PNG")
    return buf.getvalue()


class Story:
    """Replays case histories: `story.report(when, ...)`, then `story.act(case, when, action, by, **params)`."""

    def __init__(self, city, clock, capture):
        self.city, self.clock, self.capture = city, clock, capture
        self.matter = MatterType.objects.get(code="06010")  # 暴露垃圾
        self.condition = (
            FilingCondition.objects.filter(matter=self.matter, is_active=True).order_by("pk").first()
        )

    def _move(self, when):
        self.clock.move_to(when)

    def report(self, when, *, by="supervisor", source="supervisor", point=POINT_A, **extra):
        self._move(when)
        with self.capture(execute=True):
            return case_report(
                actor=self.city[by] if by else None,
                source=source,
                matter=self.matter,
                lng=point[0],
                lat=point[1],
                description=extra.pop("description", "路边有暴露垃圾"),
                address=extra.pop("address", "西门大街 12 号"),
                **extra,
            )

    def act(self, case, when, action, by, **params):
        self._move(when)
        if params.get("photos") == "photo":
            params["photos"] = [attachment_create(actor=self.city[by], file=Upload(png()), kind="after").pk]
        if action == "file" and self.condition and "filing_condition_id" not in params:
            params["filing_condition_id"] = self.condition.pk
        with self.capture(execute=True):
            return case_act(actor=self.city[by], case=case, action=action, **params)

    def walk(self, case, *steps):
        """Several actions: (when, action, by, params) tuples."""
        for step in steps:
            when, action, by, *rest = step
            case = self.act(case, when, action, by, **(rest[0] if rest else {}))
        return case


@pytest.fixture
def grids(city):
    return make_grids(city)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def story(city, grids, clock, django_capture_on_commit_callbacks):
    return Story(city, clock, django_capture_on_commit_callbacks)
