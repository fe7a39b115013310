import io

import time_machine

from chengguan.enforcement import demo
from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.models import EnforcementCase, PowerItem, PowerTransfer
from chengguan.org import demo as org_demo

from .conftest import at


def test_the_demo_loads_powers_and_cases_in_several_states_once(db):
    out = io.StringIO()
    with time_machine.travel(at(2026, 6, 15, 16), tick=False):
        org_demo.load(stdout=out)
        demo.load(stdout=out)
        demo.load(stdout=out)
    assert PowerItem.objects.count() == 77
    assert PowerTransfer.objects.filter(kind="integrated").count() == 77
    assert PowerItem.objects.filter(level="district").count() == 77 - 11 - 4
    states = set(EnforcementCase.objects.values_list("state", flat=True))
    assert states == {"closed", "investigating", "hearing_requested", "served", "enforcing", "archived", "referred",
                      "clue"}
    numbers = list(EnforcementCase.objects.exclude(number="").order_by("filed_at").values_list("number", flat=True))
    assert numbers == sorted(numbers)  # filed in order, numbered in order
    assert EnforcementCase.objects.count() == 8 and "already loaded" in out.getvalue()
    assert audit_verify().ok
