"""Community studios and service booths: the roster (one place at a time per person) and the portal's on-duty."""

from datetime import timedelta

import pytest
from django.urls import reverse

from chengguan.cases.testing import T0
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.participation.models import DutySlot, Place
from chengguan.participation.places import duty_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def booth(city):
    return Place.objects.create(kind="booth", name="西门便民岗亭", address="西门大街与书店街交叉口", lng=114.305, lat=34.81,
                                region=city.community_a1, department=city.brigade_a, phone="0371-12319",
                                hours="08:00–20:00", services="咨询、上报、临时摊位疏导")


@pytest.fixture
def studio(city):
    return Place.objects.create(kind="studio", name="西门社区城管工作室", address="西门社区服务中心", lng=114.306,
                                lat=34.811, region=city.community_a1, department=city.brigade_a)


def test_the_roster_puts_a_person_at_one_place_at_a_time_and_the_portal_shows_who_is_on_duty(
        city, frozen, booth, studio, client):
    slot = duty_assign(actor=city["leader"], place=booth, person=city["officer"], starts_at=T0 - timedelta(hours=1),
                       ends_at=T0 + timedelta(hours=7))
    with pytest.raises(Conflict):
        duty_assign(actor=city["leader"], place=studio, person=city["officer"], starts_at=T0 + timedelta(hours=6),
                    ends_at=T0 + timedelta(hours=9))
    with pytest.raises(ValidationError):
        duty_assign(actor=city["leader"], place=studio, person=city["officer2"], starts_at=T0, ends_at=T0)
    duty_assign(actor=city["leader"], place=studio, person=city["officer2"], starts_at=T0 + timedelta(hours=2),
                ends_at=T0 + timedelta(hours=6))
    page = client.get(reverse("participation:portal_places")).content.decode()
    assert "西门便民岗亭" in page and "当前值班" in page and "o******" in page  # the officer's name, masked
    assert "officer" not in page  # never the account name in clear
    assert slot.pk and DutySlot.objects.count() == 2


def test_outsiders_cannot_set_the_roster(city, frozen, booth, login):
    for who in ("outsider", "officer", "supervisor", "nobody"):
        with pytest.raises(PermissionDenied):
            duty_assign(actor=city[who], place=booth, person=city["officer"], starts_at=T0,
                        ends_at=T0 + timedelta(hours=2))
    response = login(city["outsider"]).post(reverse("participation:duty", args=[booth.pk]), {
        "person": city["officer"].pk, "starts_at": "2026-03-10T09:00", "ends_at": "2026-03-10T12:00"})
    assert response.status_code == 404  # a place outside the outsider's area does not exist for them
    assert not DutySlot.objects.exists()
    assert login(city["leader"]).post(reverse("participation:duty", args=[booth.pk]), {
        "person": city["officer"].pk, "starts_at": "2026-03-10T09:00", "ends_at": "2026-03-10T12:00"}
    ).status_code == 302
    assert DutySlot.objects.count() == 1


def test_a_volunteer_is_not_put_on_duty(city, frozen, booth, volunteer):
    with pytest.raises(ValidationError):
        duty_assign(actor=city["leader"], place=booth, person=volunteer, starts_at=T0, ends_at=T0 + timedelta(hours=2))
