"""Case file review, the 立而不办/办而不结 report and the 721 feed."""

from datetime import timedelta

import pytest

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.enforcement.selectors import enforcement_721_counts, idle_report
from chengguan.enforcement.services.review import CRITERIA, case_file_review, review_hints

from .conftest import at, to_investigating, to_notified

FULL = {code: maximum for code, _label, maximum in CRITERIA}


def closed_case(walk):
    to_notified(walk)
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("decide", "leader", at(2026, 3, 9))
    walk.do("disclose", "officer", at(2026, 3, 18))
    walk.do("serve", "officer", at(2026, 3, 20), method="post", recipient="当事人", late_reason="地址变更")
    walk.do("record_payment", "officer", at(2026, 3, 25), amount="5000", paid_on="2026-03-25", channel="bank")
    return walk.do("close", "leader", at(2026, 3, 26), summary="结案")


def test_case_file_review_scores_and_grades(walk, city):
    case = closed_case(walk)
    assert any("超过法定期限" in h for h in review_hints(case))
    review = case_file_review(actor=city["legal_reviewer"], case=case, scores={**FULL, "procedure": 15},
                              comments="送达超期")
    assert (review.total, review.grade) == (90, "excellent")
    review = case_file_review(actor=city["leader"], case=case, scores={**FULL, "facts": 0, "procedure": 0})
    assert review.grade == "fail"
    with pytest.raises(ValidationError) as err:
        case_file_review(actor=city["legal_reviewer"], case=case, scores={**FULL, "law": 16})
    assert err.value.field == "law"
    for who in ("officer", "outsider", "assistant"):
        with pytest.raises(PermissionDenied):
            case_file_review(actor=city[who], case=case, scores=FULL)


def test_only_closed_files_are_reviewed(walk, city):
    with pytest.raises(ValidationError):
        case_file_review(actor=city["legal_reviewer"], case=walk.case, scores=FULL)


def test_idle_and_unclosed_report(walk, city):
    case = to_investigating(walk)
    report = idle_report(city["leader"], now=at(2026, 3, 20))
    assert not report["idle"].exists()
    report = idle_report(city["leader"], now=at(2026, 4, 10))
    assert list(report["idle"]) == [case]
    report = idle_report(city["leader"], now=at(2026, 6, 5))
    assert list(report["overdue"]) == [case]
    assert not idle_report(city["outsider"], now=at(2026, 6, 5))["idle"].exists()


def test_721_counts_by_resolution_period_and_region(walk, city):
    closed_case(walk)
    start = at(2026, 3, 1)
    assert enforcement_721_counts(start, start + timedelta(days=31)) == {"service": 0, "management": 0,
                                                                        "enforcement": 1}
    assert enforcement_721_counts(start, start + timedelta(days=31), region=city.district_b)["enforcement"] == 0
    assert enforcement_721_counts(start, start + timedelta(days=5))["enforcement"] == 0
