"""After the decision: service, disclosure, 罚缴分离 and late fees, reminders, court, forced demolition."""

from datetime import date
from decimal import Decimal

import pytest

from chengguan.core.errors import Conflict, ValidationError

from .conftest import at, to_notified


@pytest.fixture
def decided(walk):
    to_notified(walk, fine="5000")
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("decide", "leader", at(2026, 3, 9, 10))
    return walk


def test_late_service_and_disclosure_need_a_recorded_reason(decided):
    walk = decided
    assert walk.case.service_due.date().isoformat() == "2026-03-18"
    with pytest.raises(Conflict) as err:
        walk.do("serve", "officer", at(2026, 3, 19), method="post", recipient="当事人")
    assert err.value.field == "late_reason" and err.value.code == "deadline_passed"
    case = walk.do("serve", "officer", at(2026, 3, 19), method="post", recipient="当事人",
                   late_reason="当事人下落不明，经多次联系后邮寄送达")
    event = case.events.get(act="serve")
    assert event.late and "邮寄" in event.reason
    with pytest.raises(Conflict):
        walk.do("disclose", "officer", at(2026, 3, 19))
    walk.do("disclose", "officer", at(2026, 3, 19), late_reason="系统故障")
    with pytest.raises(Conflict):
        walk.do("disclose", "officer", at(2026, 3, 20), late_reason="x")  # already disclosed


def test_payment_with_late_fee_capped_at_the_fine(decided):
    walk = decided
    walk.do("serve", "officer", at(2026, 3, 9, 15), method="direct", recipient="当事人")
    assert walk.case.payment_due.date().isoformat() == "2026-03-24"
    with pytest.raises(ValidationError) as err:
        walk.do("record_payment", "officer", at(2026, 3, 27), amount="5000", paid_on="2026-03-27", channel="bank")
    assert err.value.field == "amount" and "450" in err.value.message  # 3 days × 150
    case = walk.do("record_payment", "officer", at(2026, 3, 27), amount="5450", paid_on="2026-03-27",
                   channel="bank", receipt_number="B-1")
    payment = case.payments.get()
    assert (payment.fine, payment.late_fee, payment.total) == (Decimal("5000"), Decimal("450"), Decimal("5450"))


def test_late_fee_stops_at_the_fine_and_pauses_during_review(decided):
    walk = decided
    walk.do("serve", "officer", at(2026, 3, 9, 15), method="direct", recipient="当事人")
    walk.do("start_remedy", "officer", at(2026, 3, 26), kind="review", started_on="2026-03-26")
    walk.do("end_remedy", "officer", at(2026, 4, 20), ended_on="2026-04-20", outcome="复议维持")
    from chengguan.enforcement.services.execution import amount_due

    _fine, fee, days = amount_due(walk.case, date(2026, 4, 22))
    assert days == 3 and fee == Decimal("450.00")  # 25 March, 21 and 22 April: not while the review ran
    _fine, fee, _days = amount_due(walk.case, date(2026, 12, 1))
    assert fee == Decimal("5000")


def test_reminder_court_application_window(decided):
    walk = decided
    walk.do("serve", "officer", at(2026, 3, 9, 15), method="direct", recipient="当事人")
    with pytest.raises(Conflict) as err:
        walk.do("urge", "officer", at(2026, 3, 24, 12))
    assert err.value.code == "too_early"
    case = walk.do("urge", "officer", at(2026, 3, 25))
    assert case.state == "enforcing" and case.documents.filter(kind="urge_notice").exists()
    with pytest.raises(Conflict) as err:  # lawsuit period (6 months from service) still runs
        walk.do("apply_to_court", "leader", at(2026, 4, 20))
    assert err.value.code == "too_early"
    assert case.lawsuit_deadline.date().isoformat() == "2026-09-09"
    with pytest.raises(Conflict) as err:  # more than 3 months after the lawsuit period
        walk.do("apply_to_court", "leader", at(2026, 12, 10))
    assert err.value.code == "deadline_passed"
    case = walk.do("apply_to_court", "leader", at(2026, 9, 10))
    assert case.court_applied_at is not None
    case = walk.do("record_payment", "officer", at(2026, 11, 2), amount="10000", paid_on="2026-11-02", channel="court")
    assert case.state == "performed"


def test_forced_demolition_waits_for_the_remedy_windows_and_never_at_night(walk, items):
    from .conftest import to_investigating

    walk.do("update_particulars", "officer", at(2026, 3, 2, 9, 30), power_item="CG-CF-001")
    to_investigating(walk)
    walk.do("order_demolition", "officer", at(2026, 3, 4), co_officer=walk.co(), demolish_by="2026-03-20",
            announcement="限期自行拆除公告已张贴")
    walk.do("conclude_investigation", "officer", at(2026, 3, 5), outcome="penalty", penalty_kinds=["fine"],
            fine_amount="14000", construction_cost="200000", report="违法建设")
    walk.do("notify", "officer", at(2026, 3, 5))
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("collective_discussion", "leader", at(2026, 3, 9), participants="局务会", conclusion="同意")
    walk.do("decide", "leader", at(2026, 3, 9, 10))
    walk.do("serve", "officer", at(2026, 3, 9, 15), method="direct", recipient="当事人")
    case = walk.do("record_payment", "officer", at(2026, 3, 10), amount="14000", paid_on="2026-03-10", channel="bank")
    assert case.state == "served"  # the fine is paid, the building still stands
    with pytest.raises(Conflict):
        walk.do("urge", "officer", at(2026, 3, 20))
    assert walk.do("urge", "officer", at(2026, 3, 23)).state == "enforcing"
    with pytest.raises(Conflict) as err:
        walk.do("decide_forced_demolition", "leader", at(2026, 4, 1))
    assert err.value.code == "remedy_window_open"
    walk.do("start_remedy", "officer", at(2026, 4, 1), kind="lawsuit", started_on="2026-04-01")
    with pytest.raises(Conflict) as err:
        walk.do("decide_forced_demolition", "leader", at(2026, 9, 15))
    assert err.value.code == "remedy_running"
    walk.do("end_remedy", "officer", at(2026, 9, 1), ended_on="2026-09-01", outcome="驳回诉讼请求")
    walk.do("decide_forced_demolition", "leader", at(2026, 9, 15))
    with pytest.raises(Conflict) as err:
        walk.do("carry_out_demolition", "officer", at(2026, 10, 1, 10), co_officer=walk.co())  # National Day
    assert err.value.code == "night_or_holiday"
    with pytest.raises(Conflict):
        walk.do("carry_out_demolition", "officer", at(2026, 10, 9, 23), co_officer=walk.co())
    case = walk.do("carry_out_demolition", "officer", at(2026, 10, 9, 9), co_officer=walk.co())
    assert case.state == "performed" and case.demolished_at is not None


def test_closing_needs_disclosure_and_released_measures(decided):
    walk = decided
    walk.do("serve", "officer", at(2026, 3, 9, 15), method="direct", recipient="当事人")
    walk.do("record_payment", "officer", at(2026, 3, 10), amount="5000", paid_on="2026-03-10", channel="bank")
    with pytest.raises(Conflict) as err:
        walk.do("close", "leader", at(2026, 3, 11), summary="x")
    assert err.value.code == "not_disclosed"
    walk.do("disclose", "officer", at(2026, 3, 11))
    walk.do("withdraw_disclosure", "leader", at(2026, 3, 12), reason="复议撤销", changed_on="2026-03-12")
    with pytest.raises(Conflict):
        walk.do("withdraw_disclosure", "leader", at(2026, 3, 12), reason="again", changed_on="2026-03-12")
    assert walk.do("close", "leader", at(2026, 3, 13), summary="结案").state == "closed"
