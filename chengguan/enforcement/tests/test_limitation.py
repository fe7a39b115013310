"""Limitation check at filing (行政处罚法第36条): 2 years, or 5 where the item says so."""

import pytest

from chengguan.core.errors import ValidationError
from chengguan.enforcement.models import EnforcementCase

from .conftest import at


def test_filing_is_refused_after_the_limitation(walk):
    walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), violation_date="2024-02-20")
    with pytest.raises(ValidationError) as err:
        walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    assert err.value.field == "violation_date" and "2026-02-20" in err.value.message


def test_a_continuing_act_counts_from_its_end(walk):
    walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), violation_date="2023-05-01",
            violation_end_date="2025-12-31")
    assert walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x").state == \
        "pending_filing"


def test_five_years_where_the_item_concerns_life_and_health(walk, items):
    items["road"].limitation_years = 5
    items["road"].save()
    walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), violation_date="2022-01-01")
    walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    items["road"].limitation_years = 2
    items["road"].save()
    with pytest.raises(ValidationError):  # checked again when the leader approves
        walk.do("approve_filing", "leader", at(2026, 3, 2, 14))
    assert EnforcementCase.objects.get(pk=walk.case.pk).state == "pending_filing"


def test_the_violation_cannot_end_before_it_began(walk):
    with pytest.raises(ValidationError) as err:
        walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), violation_end_date="2026-01-01")
    assert err.value.field == "violation_end_date"
