"""Renewal of a permit and the capacity of a vending zone; expiry by the daily job."""

from datetime import date

import pytest

from chengguan.core.errors import Conflict, ValidationError
from chengguan.permits.models import Application
from chengguan.permits.services import (
    application_accept,
    application_grant,
    expire_permits,
    permit_renew,
    warn_deadlines,
)

from .conftest import at


def granted(city, submit, now, **extra):
    a = submit(now, **extra)
    a = application_accept(actor=city["officer"], application=a, now=now)
    return application_grant(actor=city["leader"], application=a, now=now)


def test_it_renews_a_valid_permit_once_and_numbers_the_new_one(city, submit):
    permit = granted(city, submit, at(2026, 3, 2), requested_from=date(2026, 3, 2), requested_to=date(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        permit_renew(actor=city["officer"], permit=permit, requested_to=date(2026, 6, 1), channel="counter",
                     now=at(2026, 5, 20))
    assert exc.value.field == "requested_to"
    renewal = permit_renew(actor=city["officer"], permit=permit, requested_to=date(2026, 12, 31), channel="counter",
                           now=at(2026, 5, 20))
    assert renewal.renewal_of == permit and renewal.requested_from == date(2026, 7, 1)
    with pytest.raises(Conflict) as exc:
        permit_renew(actor=city["officer"], permit=permit, requested_to=date(2026, 12, 31), channel="counter",
                     now=at(2026, 5, 21))
    assert exc.value.field == "permit"
    renewal = application_accept(actor=city["officer"], application=renewal, now=at(2026, 5, 21))
    renewal = application_grant(actor=city["leader"], application=renewal, now=at(2026, 5, 22))
    assert renewal.permit_number == "汴城管许字〔2026〕第0002号"
    assert (renewal.valid_from, renewal.valid_to) == (date(2026, 7, 1), date(2026, 12, 31))


def test_an_expired_permit_cannot_be_renewed_and_the_job_expires_it(city, submit):
    permit = granted(city, submit, at(2026, 3, 2), requested_from=date(2026, 3, 2), requested_to=date(2026, 3, 31))
    assert expire_permits(now=at(2026, 3, 31)) == 0  # still valid on its last day
    assert expire_permits(now=at(2026, 4, 1)) == 1
    assert expire_permits(now=at(2026, 4, 1)) == 0  # the job may run twice
    permit.refresh_from_db()
    assert permit.status == "expired"
    with pytest.raises(Conflict) as exc:
        permit_renew(actor=city["officer"], permit=permit, requested_to=date(2026, 12, 31), channel="counter",
                     now=at(2026, 4, 2))
    assert exc.value.field == "permit"


def test_a_vending_zone_takes_no_more_stalls_than_its_capacity(city, submit, zone):
    stall = dict(kind="stall", zone=zone, applicant_type="person", applicant_name="王小二",
                 requested_from=date(2026, 4, 1), requested_to=date(2026, 9, 30))
    first = granted(city, submit, at(2026, 3, 2), stall_number="A01", **stall)
    assert first.region == zone.region and first.lng == zone.lng
    taken = submit(at(2026, 3, 2), stall_number="A01", **stall)
    taken = application_accept(actor=city["officer"], application=taken, now=at(2026, 3, 3))
    with pytest.raises(Conflict) as exc:
        application_grant(actor=city["leader"], application=taken, now=at(2026, 3, 4))
    assert exc.value.field == "stall_number"
    granted(city, submit, at(2026, 3, 2), stall_number="A02", **stall)
    third = application_accept(actor=city["officer"], application=submit(at(2026, 3, 2), stall_number="A03", **stall),
                               now=at(2026, 3, 3))
    with pytest.raises(Conflict) as exc:
        application_grant(actor=city["leader"], application=third, now=at(2026, 3, 4))
    assert exc.value.field == "zone"
    assert Application.objects.get(pk=third.pk).status == "accepted"  # nothing written
    # a stall permit for after the others' period fits
    later = submit(at(2026, 3, 2), stall_number="A03", **{**stall, "requested_from": date(2026, 10, 1),
                                                          "requested_to": date(2026, 12, 31)})
    later = application_accept(actor=city["officer"], application=later, now=at(2026, 3, 3))
    assert application_grant(actor=city["leader"], application=later, now=at(2026, 3, 4)).status == "granted"


def test_a_stall_needs_a_zone_and_other_kinds_none(city, submit, zone):
    with pytest.raises(ValidationError) as exc:
        submit(at(2026, 3, 2), kind="stall")
    assert exc.value.field == "zone"
    with pytest.raises(ValidationError) as exc:
        submit(at(2026, 3, 2), kind="shop_sign", zone=zone)
    assert exc.value.field == "zone"
    assert not Application.objects.exists()


def test_the_handlers_are_warned_once_before_the_deadline(city, submit):
    from chengguan.cases.models import Notification

    a = submit(at(2026, 4, 2))
    assert warn_deadlines(now=at(2026, 4, 7)) == 0  # three working days left
    sent = warn_deadlines(now=at(2026, 4, 9, 11))
    assert sent >= 1
    assert warn_deadlines(now=at(2026, 4, 9, 12)) == 0  # once per deadline
    told = set(Notification.objects.filter(kind="permit_deadline").values_list("user__username", flat=True))
    assert {"officer", "leader"} <= told and "outsider" not in told and "supervisor" not in told
    assert a.number in Notification.objects.filter(kind="permit_deadline").first().text
