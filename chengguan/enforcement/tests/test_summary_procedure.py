"""简易程序: warning or fine ≤ 200 yuan (citizen) / ≤ 3,000 (organisation), decided on the spot by two officers."""

from decimal import Decimal

import pytest

from chengguan.core.errors import Conflict, ValidationError
from chengguan.enforcement.models import EnforcementCase, Payment

from .conftest import at


@pytest.fixture
def person_clue(walk):
    EnforcementCase.objects.filter(pk=walk.case.pk).update(party_type="person", party_name="李某")
    walk.case.refresh_from_db()
    return walk


def test_fine_caps_depend_on_the_party(person_clue):
    walk = person_clue
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                fine_amount="201")
    assert err.value.code == "summary_cap" and err.value.field == "fine_amount"
    EnforcementCase.objects.filter(pk=walk.case.pk).update(party_type="organisation")
    with pytest.raises(ValidationError):
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                fine_amount="3001")
    case = walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                   fine_amount="3000")
    assert case.state == "served" and case.procedure == "summary"
    assert case.decision_number == "汴城管当罚字〔2026〕第0001号"
    assert case.payment_due.date().isoformat() == "2026-03-17"
    assert case.officers.count() == 2


def test_cash_on_the_spot_only_up_to_100_yuan_or_when_hard_to_enforce(person_clue):
    walk = person_clue
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                fine_amount="150", collect_cash=True, receipt_number="豫财0001")
    assert err.value.code == "cash_not_allowed"
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                fine_amount="50", collect_cash=True)
    assert err.value.field == "receipt_number"
    case = walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                   fine_amount="50", collect_cash=True, receipt_number="豫财0001")
    assert case.state == "performed" and case.cash_collected
    payment = Payment.objects.get(case=case)
    assert payment.channel == "cash" and payment.cash_handover_due.date().isoformat() == "2026-03-04"
    with pytest.raises(Conflict):
        walk.do("close", "leader", at(2026, 3, 3), summary="x")  # not yet filed with the body (第52条)
    walk.do("file_summary_record", "officer", at(2026, 3, 3))
    assert walk.do("close", "leader", at(2026, 3, 3), summary="当场收缴").state == "closed"


def test_hard_to_enforce_allows_cash_above_100(person_clue):
    walk = person_clue
    case = walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
                   fine_amount="200", collect_cash=True, hard_to_enforce=True, receipt_number="豫财0002")
    assert case.state == "performed"


def test_a_warning_is_performed_at_once(person_clue):
    case = person_clue.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=person_clue.co(),
                          penalty="warning")
    assert case.state == "performed" and case.fine_amount == Decimal(0) and case.resolution == "enforcement"
    with pytest.raises(ValidationError):
        person_clue.case = case
        EnforcementCase.objects.filter(pk=case.pk).update(state="clue")
        case.refresh_from_db()
        person_clue.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=person_clue.co(),
                       penalty="warning", fine_amount="20")


def test_bank_payment_of_an_on_the_spot_fine_and_no_cash_later_above_the_cap(person_clue):
    walk = person_clue
    walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="fine",
            fine_amount="200")
    with pytest.raises(ValidationError) as err:
        walk.do("record_payment", "officer", at(2026, 3, 5), amount="200", paid_on="2026-03-05", channel="cash",
                receipt_number="x")
    assert err.value.field == "channel"
    assert walk.do("record_payment", "officer", at(2026, 3, 5), amount="200", paid_on="2026-03-05",
                   channel="bank").state == "performed"


def test_the_summary_procedure_needs_the_particulars_and_the_limitation(walk):
    from chengguan.enforcement.models import EnforcementCase as C

    C.objects.filter(pk=walk.case.pk).update(party_name="")
    walk.case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="warning")
    assert err.value.field == "party_name"
    C.objects.filter(pk=walk.case.pk).update(party_name="某公司", violation_date="2023-12-01")
    walk.case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), penalty="warning")
    assert err.value.code == "limitation"
