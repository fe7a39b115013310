"""Enforcement fixtures: the city's bureau as enforcement body, a few power items with benchmarks, and a
helper that walks a case to a given state with the shared personas (officer, officer2, leader, ...)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.enforcement.models import DiscretionBand, DiscretionBenchmark, EnforcementBody, PowerItem
from chengguan.enforcement.services import case_act, case_register_clue

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def body(city):
    return EnforcementBody.objects.create(
        department=city.bureau,
        name="开封市城市管理局",
        short_name="汴城管",
        review_authority="开封市人民政府",
        court="开封市龙亭区人民法院",
        bank="中国工商银行开封分行营业部",
    )


@pytest.fixture
def items(db):
    road = PowerItem.objects.create(
        code="CG-CF-026", name="擅自占用或者挖掘城市道路", power_type="penalty", legal_basis="道路条例 42 (27(1))",
        law="《城市道路管理条例》", article="第42条", penalty_text="责令限期改正, 可处 ≤ 20,000", level="district",
    )
    bench = DiscretionBenchmark.objects.create(item=road, party_type="", statutory_max=Decimal("20000"))
    DiscretionBand.objects.create(benchmark=bench, level="minor", amount_min=0, amount_max=2000,
                                  criteria="占用面积10㎡以下", conditions={"area_m2__lt": 10})
    DiscretionBand.objects.create(benchmark=bench, level="general", amount_min=2000, amount_max=8000,
                                  criteria="占用面积10–50㎡")
    DiscretionBand.objects.create(benchmark=bench, level="serious", amount_min=8000, amount_max=15000,
                                  criteria="占用面积50㎡以上", conditions={"area_m2__gte": 50})
    DiscretionBand.objects.create(benchmark=bench, level="severe", amount_min=15000, amount_max=20000,
                                  criteria="造成严重后果", conditions={"harm": "serious"})
    litter = PowerItem.objects.create(
        code="CG-CF-008", name="随地吐痰、便溺, 乱扔果皮纸屑烟头", power_type="penalty", legal_basis="市容条例 34(1)",
        law="《城市市容和环境卫生管理条例》", article="第34条", paragraph="第1项", level="street",
    )
    building = PowerItem.objects.create(
        code="CG-CF-001", name="未取得建设工程规划许可证进行建设", power_type="penalty", legal_basis="城乡规划法 64 (40)",
        law="《中华人民共和国城乡规划法》", article="第64条",
    )
    pct = DiscretionBenchmark.objects.create(item=building, party_type="", basis="percent_of_cost")
    DiscretionBand.objects.create(benchmark=pct, level="general", amount_min=6, amount_max=8, criteria="一般")
    DiscretionBand.objects.create(benchmark=pct, level="serious", amount_min=8, amount_max=10,
                                  conditions={"harm": "serious"})
    return {"road": road, "litter": litter, "building": building}


PARTY = {
    "party_type": "organisation",
    "party_name": "开封市某某建筑工程有限公司",
    "party_id_number": "91410200MA0000000X",
    "party_address": "开封市龙亭区某路1号",
    "place": "龙亭区北道门街西段",
    "violation_date": "2026-02-26",
    "facts": "未经批准擅自占用城市道路堆放建筑材料约30平方米。",
    "power_item": "CG-CF-026",
}


@pytest.fixture
def clue(city, body, items):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        return case_register_clue(
            actor=city["officer"], region=city.community_a1, department=city.brigade_a, source="patrol",
            title="擅自占用城市道路", **PARTY,
        )


class Walk:
    """Drive a case through acts at given times: `walk.do("notify", "officer", at(...), **data)`."""

    def __init__(self, city, case):
        self.city, self.case = city, case

    def do(self, act, who, when, **data):
        with time_machine.travel(when, tick=False):
            self.case = case_act(actor=self.city[who], case=self.case, act=act, data=data)
        self.case.refresh_from_db()
        return self.case

    def co(self):
        return self.city["officer2"].pk


@pytest.fixture
def walk(city, clue):
    return Walk(city, clue)


def to_investigating(walk):
    walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="符合立案条件，建议立案。")
    walk.do("approve_filing", "leader", at(2026, 3, 2, 14), opinion="同意")
    walk.do("record_inspection", "officer", at(2026, 3, 3, 9), co_officer=walk.co(), place="北道门街西段",
            findings="现场堆放砂石约30平方米，占用人行道。")
    return walk.case


def to_notified(walk, fine="5000"):
    to_investigating(walk)
    walk.do("conclude_investigation", "officer", at(2026, 3, 4, 9), outcome="penalty", penalty_kinds=["fine"],
            fine_amount=fine, area_m2="30", harm="minor", report="事实清楚，证据确凿。")
    walk.do("notify", "officer", at(2026, 3, 5, 9))
    return walk.case


__all__ = ["at", "to_investigating", "to_notified", "date", "Walk"]


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level assertions read the English source messages; pages are checked in Chinese (the default)."""
    from django.utils import translation

    with translation.override("en"):
        yield
