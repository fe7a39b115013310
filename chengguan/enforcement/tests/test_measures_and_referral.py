"""Sealing/seizure (行政强制法) and criminal referral (国务院令第310号)."""

import pytest

from chengguan.core.errors import Conflict, ValidationError
from chengguan.enforcement.models import CoerciveMeasure, CriminalReferral

from .conftest import at, to_investigating

ITEMS = "三轮车 1 辆\n烧烤炉 2 个"


def test_seizure_needs_approval_lasts_30_days_and_extends_once(walk):
    to_investigating(walk)
    walk.do("request_seizure", "officer", at(2026, 3, 3, 10), kind="seize", reason="露天烧烤工具", items=ITEMS)
    measure = CoerciveMeasure.objects.get()
    assert measure.items[1] == {"name": "烧烤炉", "quantity": "2", "unit": "个", "note": ""}
    with pytest.raises(ValidationError):  # not approved yet
        walk.do("seize", "officer", at(2026, 3, 3, 11), co_officer=walk.co(), measure=measure.pk)
    walk.do("approve_seizure", "leader", at(2026, 3, 3, 11), measure=measure.pk, approve=True)
    walk.do("seize", "officer", at(2026, 3, 3, 14), co_officer=walk.co(), measure=measure.pk)
    measure.refresh_from_db()
    assert measure.status == "in_force" and measure.ends_at.date().isoformat() == "2026-04-02"
    assert walk.case.documents.filter(kind="seizure_decision").exists()
    with pytest.raises(ValidationError):
        walk.do("extend_seizure", "leader", at(2026, 3, 20), measure=measure.pk, days=31, reason="检测")
    walk.do("extend_seizure", "leader", at(2026, 3, 20), measure=measure.pk, days=30, reason="需检测")
    measure.refresh_from_db()
    assert measure.ends_at.date().isoformat() == "2026-05-06"  # 2 May + 30 days... counted from the old end
    with pytest.raises(Conflict):
        walk.do("extend_seizure", "leader", at(2026, 4, 20), measure=measure.pk, days=5, reason="again")
    with pytest.raises(Conflict) as err:  # expired: only release is possible (第28条)
        walk.do("end_seizure", "officer", at(2026, 5, 7), co_officer=walk.co(), measure=measure.pk,
                outcome="confiscated")
    assert err.value.code == "deadline_passed"
    walk.do("end_seizure", "officer", at(2026, 5, 7), co_officer=walk.co(), measure=measure.pk, outcome="released")
    measure.refresh_from_db()
    assert measure.status == "released"


def test_emergency_seizure_must_be_approved_within_24_hours(walk):
    to_investigating(walk)
    walk.do("seize", "officer", at(2026, 3, 3, 20), co_officer=walk.co(), emergency=True, kind="seize",
            reason="当事人欲转移", items=ITEMS)
    measure = CoerciveMeasure.objects.get()
    assert measure.emergency and measure.approval_due == at(2026, 3, 4, 20)
    with pytest.raises(Conflict) as err:
        walk.do("approve_seizure", "leader", at(2026, 3, 4, 21), measure=measure.pk, approve=True)
    assert err.value.code == "deadline_passed"
    walk.do("approve_seizure", "leader", at(2026, 3, 4, 19), measure=measure.pk, approve=False, reason="不予批准")
    measure.refresh_from_db()
    assert measure.status == "released"


def test_an_open_measure_blocks_closing(walk):
    to_investigating(walk)
    walk.do("seize", "officer", at(2026, 3, 3, 10), co_officer=walk.co(), emergency=True, kind="seal",
            reason="x", items="仓库 1 间")
    from chengguan.enforcement.models import EnforcementCase

    EnforcementCase.objects.filter(pk=walk.case.pk).update(state="performed")
    walk.case.refresh_from_db()
    with pytest.raises(Conflict) as err:
        walk.do("close", "leader", at(2026, 3, 5), summary="x")
    assert err.value.code == "measures_open"


def test_criminal_referral_timers_and_police_reply(walk):
    to_investigating(walk)
    walk.do("report_crime", "officer", at(2026, 3, 3, 9), co_officer=walk.co(), offence="污染环境罪",
            report="倾倒建筑垃圾数量巨大")
    referral = CriminalReferral.objects.get()
    assert referral.decision_due.date().isoformat() == "2026-03-06" and walk.case.state == "referral_pending"
    with pytest.raises(Conflict):
        walk.do("decide_referral", "leader", at(2026, 3, 7), approve=True)
    walk.do("decide_referral", "leader", at(2026, 3, 7), approve=True, late_reason="负责人出差")
    referral.refresh_from_db()
    assert referral.handover_due == at(2026, 3, 8)
    with pytest.raises(Conflict):
        walk.do("hand_over", "officer", at(2026, 3, 8, 11), police_unit="开封市公安局龙亭分局")
    case = walk.do("hand_over", "officer", at(2026, 3, 8, 9), police_unit="开封市公安局龙亭分局")
    assert case.state == "referred" and case.documents.filter(kind="referral_letter").exists()
    from chengguan.enforcement.selectors import deadline_warnings

    warnings = deadline_warnings(walk.city["officer"], now=at(2026, 3, 12))
    assert [(w["label"], w["overdue"]) for w in warnings] == [("police decision", True)]  # reply due 11 March
    case = walk.do("record_police_reply", "officer", at(2026, 3, 10), accepted=False, text="不予立案")
    assert case.state == "investigating"  # handled administratively (第10条)


def test_a_refused_referral_returns_to_where_it_came_from_with_reasons(walk):
    to_investigating(walk)
    walk.do("report_crime", "officer", at(2026, 3, 3, 9), co_officer=walk.co(), offence="妨害公务罪", report="x")
    with pytest.raises(ValidationError):
        walk.do("decide_referral", "leader", at(2026, 3, 4), approve=False)
    case = walk.do("decide_referral", "leader", at(2026, 3, 4), approve=False, reason="未达到追诉标准")
    assert case.state == "investigating"
    assert CriminalReferral.objects.get().refusal_reason == "未达到追诉标准"


def test_an_accepted_referral_closes_the_administrative_case(walk):
    to_investigating(walk)
    walk.do("report_crime", "officer", at(2026, 3, 3, 9), co_officer=walk.co(), offence="污染环境罪", report="x")
    walk.do("decide_referral", "leader", at(2026, 3, 4), approve=True)
    walk.do("hand_over", "officer", at(2026, 3, 4, 15), police_unit="开封市公安局")
    case = walk.do("record_police_reply", "officer", at(2026, 3, 6), accepted=True, text="已立案侦查")
    assert case.state == "closed" and CriminalReferral.objects.get().police_accepted
