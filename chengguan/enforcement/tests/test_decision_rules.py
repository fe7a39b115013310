"""Statutory guards between the investigation and the decision."""

from decimal import Decimal

import pytest

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.models import EnforcementCase, LegalReview
from chengguan.org.models import OfficerCertificate, Role, RoleAssignment

from .conftest import at, to_investigating, to_notified


def test_it_needs_a_record_before_concluding_the_investigation(walk):
    walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="建议立案")
    walk.do("approve_filing", "leader", at(2026, 3, 2, 14))
    with pytest.raises(ValidationError) as err:
        walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="penalty", fine_amount="5000",
                area_m2="30", report="…")
    assert err.value.field == "report"


def test_a_proposal_outside_the_benchmark_needs_a_recorded_reason(walk):
    to_investigating(walk)
    with pytest.raises(ValidationError) as err:
        walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="penalty", fine_amount="9000",
                area_m2="30", report="…")
    assert err.value.field == "departure_reason" and err.value.code == "departure_reason_required"
    case = walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="penalty", fine_amount="9000",
                   area_m2="30", report="…", departure_reason="堆放物阻断盲道，影响残疾人通行")
    assert case.departure_reason == "堆放物阻断盲道，影响残疾人通行" and case.chosen_level == ""
    event = case.events.get(act="conclude_investigation")
    assert event.payload["departed"] and event.payload["suggestion"]["level"] == "general"


def test_the_statutory_maximum_and_the_no_penalty_rule_cannot_be_departed_from(walk):
    to_investigating(walk)
    with pytest.raises(ValidationError) as err:
        walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="penalty", fine_amount="25000",
                area_m2="30", report="…", departure_reason="x")
    assert err.value.code == "above_statutory_max"
    with pytest.raises(ValidationError) as err:
        walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="penalty", fine_amount="3000",
                area_m2="30", harm="none", corrected=True, report="…", departure_reason="x")
    assert err.value.field == "outcome"


def test_a_no_penalty_case_is_decided_without_prior_notice(walk):
    to_investigating(walk)
    walk.do("conclude_investigation", "officer", at(2026, 3, 4), outcome="no_penalty", area_m2="30", harm="none",
            corrected=True, report="已当场改正，未造成危害后果")
    with pytest.raises(Conflict):
        walk.do("notify", "officer", at(2026, 3, 5))
    with pytest.raises(ValidationError) as err:
        walk.do("decide", "leader", at(2026, 3, 5))
    assert err.value.field == "text"
    case = walk.do("decide", "leader", at(2026, 3, 5), text="违法行为轻微并及时改正，没有造成危害后果，不予行政处罚。")
    assert case.outcome == "no_penalty" and case.resolution == "management" and case.fine_amount == 0
    case = walk.do("serve", "officer", at(2026, 3, 6), method="direct", recipient="当事人")
    assert case.state == "performed"


def test_the_decision_is_never_heavier_than_notified(walk):
    to_notified(walk, fine="5000")
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    with pytest.raises(ValidationError) as err:
        walk.do("decide", "leader", at(2026, 3, 9), fine_amount="6000")
    assert err.value.code == "heavier_than_notified"
    case = walk.do("decide", "leader", at(2026, 3, 9), fine_amount="4000")  # waived: no need to wait
    assert case.fine_amount == Decimal("4000")


def test_the_decision_period_blocks_a_late_decision_unless_extended_in_time(walk):
    to_notified(walk)
    filed = walk.case.filed_at
    assert walk.case.decision_due.date().isoformat() == "2026-06-01" and filed == at(2026, 3, 2, 14)
    with pytest.raises(Conflict) as err:
        walk.do("decide", "leader", at(2026, 6, 2, 9))
    assert err.value.code == "deadline_passed" and err.value.field == "decision_due"
    with pytest.raises(Conflict):
        walk.do("extend_decision", "leader", at(2026, 6, 2, 9), days=30, reason="案情复杂")
    with pytest.raises(ValidationError):
        walk.do("extend_decision", "leader", at(2026, 5, 20), days=31, reason="案情复杂")
    case = walk.do("extend_decision", "leader", at(2026, 5, 20), days=30, reason="需补充鉴定")
    assert case.decision_due.date().isoformat() == "2026-07-01" and case.decision_extended_days == 30
    with pytest.raises(Conflict):
        walk.do("extend_decision", "leader", at(2026, 6, 25), days=10, reason="again")
    walk.do("collective_discussion", "leader", at(2026, 6, 25), participants="局长、副局长、法制科长",
            conclusion="同意再延长")
    walk.do("extend_decision", "leader", at(2026, 6, 26), days=10, reason="again")
    walk.do("decide", "leader", at(2026, 7, 6))
    assert walk.case.state == "decided"


def test_hearing_request_within_five_working_days_and_notice_seven_working_days_ahead(walk, city):
    to_notified(walk, fine="8000")
    assert not walk.case.hearing_required  # 8,000 ≤ 50,000 for an organisation
    with pytest.raises(Conflict):
        walk.do("request_hearing", "officer", at(2026, 3, 6))
    EnforcementCase.objects.filter(pk=walk.case.pk).update(party_type="person", state="investigating")
    walk.case.refresh_from_db()
    walk.do("conclude_investigation", "officer", at(2026, 3, 6), outcome="penalty", fine_amount="8000", area_m2="30",
            report="…", departure_reason="个人多次违法")
    case = walk.do("notify", "officer", at(2026, 3, 9))
    assert case.hearing_required and case.rights_due.date().isoformat() == "2026-03-16"
    kinds = set(case.documents.values_list("kind", flat=True))
    assert {"prior_notice", "hearing_notice"} <= kinds
    with pytest.raises(Conflict) as err:
        walk.do("request_hearing", "officer", at(2026, 3, 17), requested_at="2026-03-17T09:00")
    assert err.value.field == "requested_at"
    walk.do("request_hearing", "officer", at(2026, 3, 17), requested_at="2026-03-16T16:00")
    presider = city["legal_reviewer"]
    with pytest.raises(Conflict) as err:
        walk.do("schedule_hearing", "officer", at(2026, 3, 17), hearing_at="2026-03-25T09:00", place="听证室",
                presider=presider.pk)
    assert err.value.code == "too_early"  # the 7th working day after 17 March is 26 March
    with pytest.raises(PermissionDenied):
        walk.do("schedule_hearing", "officer", at(2026, 3, 17), hearing_at="2026-03-26T09:00", place="听证室",
                presider=city["officer"].pk)
    walk.do("schedule_hearing", "officer", at(2026, 3, 17), hearing_at="2026-03-26T09:00", place="听证室",
            presider=presider.pk)
    with pytest.raises(PermissionDenied):
        walk.do("hold_hearing", "leader", at(2026, 3, 26, 9), record="…")
    with pytest.raises(Conflict):
        walk.do("hold_hearing", "legal_reviewer", at(2026, 3, 25, 9), record="…")
    case = walk.do("hold_hearing", "legal_reviewer", at(2026, 3, 26, 11), record="当事人到场陈述申辩")
    assert case.state == "heard" and case.is_major  # decided after a hearing → legal review (第58条)
    with pytest.raises(Conflict) as err:
        walk.do("decide", "leader", at(2026, 3, 27))
    assert err.value.code == "legal_review_required"


def test_legal_review_by_someone_who_is_not_a_handler(walk, city):
    to_notified(walk, fine="5000")
    EnforcementCase.objects.filter(pk=walk.case.pk).update(is_major=True)
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("submit_legal_review", "officer", at(2026, 3, 9))
    reviewer = city["legal_reviewer"]  # also an officer and a handler of this case: may not review it
    RoleAssignment.objects.create(user=reviewer, role=Role.OFFICER, region=city.district_a)
    OfficerCertificate.objects.create(user=reviewer, number="豫A-09999", issuer="河南省人民政府",
                                      valid_from="2024-01-01", valid_to="2029-12-31", exam_passed_on="2023-01-01")
    walk.case.officers.create(user=reviewer, certificate_number="豫A-09999", assigned_at=at(2026, 3, 3))
    reviewer._scope_assignments = None
    with pytest.raises(PermissionDenied) as err:
        walk.do("legal_review", "legal_reviewer", at(2026, 3, 10), opinion="approve", text="同意")
    assert "handler" in err.value.message
    walk.case.officers.filter(user=reviewer).delete()
    with pytest.raises(PermissionDenied):
        walk.do("legal_review", "officer", at(2026, 3, 10), opinion="approve", text="同意")
    walk.do("legal_review", "legal_reviewer", at(2026, 3, 10), opinion="return", text="证据不足，补充调查")
    assert walk.case.state == "investigating"
    review = LegalReview.objects.get(case=walk.case)
    assert (review.reviewer, review.opinion, review.text) == (reviewer, "return", "证据不足，补充调查")


def test_a_major_case_needs_review_and_collective_discussion(walk):
    to_notified(walk, fine="5000")
    EnforcementCase.objects.filter(pk=walk.case.pk).update(is_major=True)
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("submit_legal_review", "officer", at(2026, 3, 9))
    walk.do("legal_review", "legal_reviewer", at(2026, 3, 10), opinion="approve", text="主体合法，程序合法，同意")
    with pytest.raises(Conflict) as err:
        walk.do("decide", "leader", at(2026, 3, 11))
    assert err.value.code == "discussion_required"
    walk.do("collective_discussion", "leader", at(2026, 3, 11), participants="局务会", conclusion="同意处罚")
    assert walk.do("decide", "leader", at(2026, 3, 12)).state == "decided"
