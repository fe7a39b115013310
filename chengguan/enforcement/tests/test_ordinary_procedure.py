"""A full ordinary-procedure case, from the clue to the archive, and what each step records."""

from decimal import Decimal

import pytest

from chengguan.core.errors import Conflict
from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.models import AuditRecord, CaseDocument

from .conftest import at, to_notified


def test_it_walks_a_penalty_case_from_clue_to_archive(walk, city):
    case = walk.case
    assert case.state == "clue" and case.clue_number == "汴城管线索〔2026〕00001号"
    to_notified(walk)
    case = walk.case
    assert case.state == "notified" and case.number == "汴城管立字〔2026〕第0001号"
    assert (case.suggested_level, case.suggested_min, case.suggested_max) == ("general", 2000, 8000)
    assert not case.hearing_required and not case.is_major
    walk.do("record_statement", "officer", at(2026, 3, 6, 9), statement="材料已清走", review="申辩理由不成立，不予采纳")
    with pytest.raises(Conflict) as err:
        walk.do("decide", "leader", at(2026, 3, 10, 9))
    assert err.value.code == "rights_pending"
    walk.do("decide", "leader", at(2026, 3, 13, 9))
    case = walk.case
    assert case.state == "decided" and case.decision_number == "汴城管罚决字〔2026〕第0001号"
    assert case.fine_amount == Decimal("5000") and case.resolution == "enforcement"
    walk.do("serve", "officer", at(2026, 3, 13, 15), method="direct", recipient="张某（委托代理人）")
    walk.do("disclose", "officer", at(2026, 3, 16, 9))
    walk.do("record_payment", "officer", at(2026, 3, 20, 9), amount="5000", paid_on="2026-03-19", channel="bank",
            receipt_number="GH0001")
    assert walk.case.state == "performed"
    walk.do("close", "leader", at(2026, 3, 23, 9), summary="罚款已缴纳，违法行为已改正。")
    walk.do("archive", "officer", at(2026, 3, 24, 9))
    case = walk.case
    assert case.state == "archived"
    kinds = list(CaseDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["filing_approval", "inspection_record", "prior_notice", "decision", "service_receipt",
                     "closing_report"]
    events = list(case.events.values_list("act", flat=True))
    assert events[0] == "register_clue" and events[-1] == "archive"
    assert AuditRecord.objects.filter(subject_id=str(case.pk)).count() == len(events)
    assert audit_verify(check_files=True).ok
