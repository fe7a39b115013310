"""The story of the statutory periods: 5 working days to accept across Qingming, the one-time notice and the
resubmission that restarts them, 20 working days to decide across May Day, one extension of 10 approved by a
leader and no second one; late acceptance counts from the materials' arrival."""

from datetime import date

import pytest
from django.utils import timezone

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.permits.models import Application
from chengguan.permits.services import (
    application_accept,
    application_extend,
    application_grant,
    application_notice,
    application_resubmit,
)

from .conftest import at


def local(moment):
    return timezone.localtime(moment)


def test_it_walks_notice_resubmission_acceptance_extension_and_grant(city, submit):
    a = submit(at(2026, 4, 2))  # Thursday before Qingming (4–6 April)
    assert a.status == "submitted" and a.number.startswith("XK2026")
    # 3 Apr (Fri), 7, 8, 9, 10 Apr: the holiday and the weekend do not count
    assert local(a.acceptance_due) == at(2026, 4, 10)

    a = application_notice(actor=city["officer"], application=a, missing_items=["营业执照副本", "牌匾效果图"],
                           now=at(2026, 4, 3))
    assert a.status == "notice" and a.missing_items == ["营业执照副本", "牌匾效果图"]
    assert list(a.events.values_list("act", flat=True)) == ["submit", "notice"]

    a = application_resubmit(actor=None, application=a, materials=["营业执照副本", "牌匾效果图"], now=at(2026, 4, 8))
    assert a.status == "submitted"
    assert local(a.acceptance_due) == at(2026, 4, 15)  # five working days from the resubmission: 9, 10, 13, 14, 15

    # a second notice may only repeat what the first asked for
    with pytest.raises(ValidationError) as exc:
        application_notice(actor=city["officer"], application=a, missing_items=["房屋产权证明"], now=at(2026, 4, 9))
    assert exc.value.field == "missing_items"
    assert Application.objects.get(pk=a.pk).status == "submitted"

    a = application_accept(actor=city["officer"], application=a, now=at(2026, 4, 9))
    # 20 working days from 9 April across May Day (1–5 May), counting the make-up Saturday 9 May
    assert local(a.decision_due) == at(2026, 5, 11)

    with pytest.raises(PermissionDenied):  # an officer cannot approve an extension
        application_extend(actor=city["officer"], application=a, reason="需现场勘查", now=at(2026, 5, 6))
    with pytest.raises(ValidationError) as exc:
        application_extend(actor=city["leader"], application=a, reason="  ", now=at(2026, 5, 6))
    assert exc.value.field == "reason"

    a = application_extend(actor=city["leader"], application=a, reason="需组织专家论证", now=at(2026, 5, 6))
    assert local(a.decision_due) == at(2026, 5, 25)  # ten more working days
    assert a.extension_approved_by == city["leader"]
    with pytest.raises(ValidationError) as exc:
        application_extend(actor=city["leader"], application=a, reason="再次延长", now=at(2026, 5, 12))
    assert exc.value.field == "extension"
    assert local(Application.objects.get(pk=a.pk).decision_due) == at(2026, 5, 25)

    a = application_grant(actor=city["leader"], application=a, now=at(2026, 5, 20))
    assert a.status == "granted"
    assert a.permit_number == "汴城管许字〔2026〕第0001号"
    assert (a.valid_from, a.valid_to) == (date(2026, 5, 1), date(2027, 4, 30))
    assert a.events.get(act="grant").payload["on_time"] is True


def test_it_counts_a_late_acceptance_from_the_arrival_of_the_materials(city, submit):
    a = submit(at(2026, 4, 2))
    with pytest.raises(Conflict) as exc:  # too late for a one-time notice: it counts as accepted
        application_notice(actor=city["officer"], application=a, missing_items=["身份证"], now=at(2026, 4, 13))
    assert exc.value.field == "missing_items"
    a = application_accept(actor=city["officer"], application=a, now=at(2026, 4, 13))
    assert a.accepted_at == at(2026, 4, 2)
    assert a.events.get(act="accept").payload["deemed"] is True


def test_it_refuses_an_empty_notice_and_a_notice_by_an_outsider(city, submit):
    a = submit(at(2026, 4, 2))
    with pytest.raises(ValidationError) as exc:
        application_notice(actor=city["officer"], application=a, missing_items=[" "], now=at(2026, 4, 3))
    assert exc.value.field == "missing_items"
    for who in ("outsider", "assistant", "supervisor", "nobody"):
        with pytest.raises(PermissionDenied):
            application_notice(actor=city[who], application=a, missing_items=["身份证"], now=at(2026, 4, 3))
    assert Application.objects.get(pk=a.pk).status == "submitted"
    assert a.events.count() == 1


def test_only_a_leader_grants(city, submit):
    a = application_accept(actor=city["officer"], application=submit(at(2026, 4, 2)), now=at(2026, 4, 3))
    with pytest.raises(PermissionDenied):
        application_grant(actor=city["officer"], application=a, now=at(2026, 4, 10))
    assert Application.objects.get(pk=a.pk).permit_number == ""
