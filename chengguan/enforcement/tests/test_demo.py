import io

import time_machine

from chengguan.enforcement import demo
from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.models import EnforcementCase, PowerItem, PowerTransfer
from chengguan.org import demo as org_demo
from chengguan.oversight import (
    demo as oversight_demo,  # the assistants' work permits (runs before, as in LOCAL_APPS)
)

from .conftest import at


def test_the_demo_loads_powers_and_cases_in_several_states_once(db):
    out = io.StringIO()
    with time_machine.travel(at(2026, 6, 15, 16), tick=False):
        org_demo.load(stdout=out)
        oversight_demo.load(stdout=out)
        demo.load(stdout=out)
        demo.load(stdout=out)
    assert PowerItem.objects.count() == 70  # the national items of the sample catalogue (kaifeng.py)
    assert PowerTransfer.objects.filter(kind="integrated").count() == 70
    assert PowerItem.objects.filter(level="district").count() == 70 - 11 - 4
    states = set(EnforcementCase.objects.values_list("state", flat=True))
    assert states == {"closed", "investigating", "hearing_requested", "served", "enforcing", "archived", "referred",
                      "clue"}
    numbers = list(EnforcementCase.objects.exclude(number="").order_by("filed_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)  # filed in order, numbered in order
    assert EnforcementCase.objects.count() == 8 and "already loaded" in out.getvalue()
    assert audit_verify().ok


LOCAL_MARKS = ("北京", "上海", "BJSR", "BJLJ", "BJLH", "SHSR", "SHCG", "同上", "(地方)", "（地方）")


def test_the_demo_power_list_holds_no_other_regions_local_regulation(db):
    from chengguan.enforcement.kaifeng import SAMPLE

    raw = SAMPLE.read_text(encoding="utf-8")
    assert all(mark in raw for mark in ("北京", "上海", "BJSR", "SHSR", "同上"))  # the check finds them (control)
    with time_machine.travel(at(2026, 6, 15, 16), tick=False):
        org_demo.load(stdout=io.StringIO())
        oversight_demo.load(stdout=io.StringIO())
        demo.load(stdout=io.StringIO())
    fields = ("name", "sub_item", "legal_basis", "law", "article", "violated_provision", "penalty_text", "note",
              "implementing_body")
    for item in PowerItem.objects.all():
        text = " ".join(str(getattr(item, f)) for f in fields)
        assert not any(mark in text for mark in LOCAL_MARKS), (item.code, text)
        assert item.note.startswith("示例数据")  # marked as a sample
    laws = set(PowerItem.objects.values_list("law", flat=True))
    assert {"《城市市容和环境卫生管理条例》", "《城市道路管理条例》", "《城市绿化条例》"} <= laws, laws
    for case in EnforcementCase.objects.select_related("power_item"):
        text = f"{case.title} {case.facts} {case.decision_text} {case.power_item}"
        assert not any(mark in text for mark in LOCAL_MARKS), (case.clue_number, text)
