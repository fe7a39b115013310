"""Patrol fixtures: staff files for the shared personas plus police, auxiliary police and more assistants."""

from dataclasses import dataclass, field
from datetime import date, time

import pytest

from chengguan.org.models import Department, OfficerCertificate, Role, RoleAssignment, User
from chengguan.patrol.models import Body, ShiftPattern, StaffProfile, TrainingRecord


def person(
    username, body, region, *, department=None, role=None, certified_until=None, trained=True, **extra
):
    """A user with a staff file (and a passed pre-service training for assistants unless `trained=False`)."""
    user = User.objects.create_user(username=username, password="pw-" + username, full_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, region=region, department=department)
    add_profile(user, body, region, department=department, trained=trained, **extra)
    if certified_until:
        certify(user, certified_until)
    return user


def add_profile(user, body, region, *, department=None, trained=True, **extra) -> StaffProfile:
    if body == Body.ASSISTANT:
        extra.setdefault("employment", StaffProfile.Employment.DISPATCHED)
        extra.setdefault("employer", "开封市人力资源服务公司")
        if trained:
            TrainingRecord.objects.create(
                user=user,
                subject="协管员岗前培训",
                category=TrainingRecord.Category.PRE_SERVICE,
                started_on=date(2025, 1, 6),
                hours=40,
                result=TrainingRecord.Result.PASSED,
            )
    return StaffProfile.objects.create(user=user, body=body, region=region, department=department, **extra)


def certify(user, valid_to, *, number=None, valid_from=date(2024, 1, 1), exam=date(2023, 11, 1), **extra):
    return OfficerCertificate.objects.create(
        user=user,
        number=number or f"豫Z-{user.pk:05d}-{valid_to:%y%m}",
        issuer="河南省人民政府",
        valid_from=valid_from,
        valid_to=valid_to,
        exam_passed_on=exam,
        **extra,
    )


@dataclass
class Staff:
    police: Department
    people: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.people[name]


@pytest.fixture
def staff(city) -> Staff:
    """District A (龙亭): officer and officer2 certified to 2029, assistant (trained), supervisor; plus a police
    station with police1, aux1, aux2 and two more assistants. District B has outsider-side officer_b."""
    da, db_ = city.district_a, city.district_b
    police = Department.objects.create(code="PSB-LT", name="龙亭公安分局", kind="police", region=da)
    add_profile(city["officer"], Body.OFFICER, da, department=city.brigade_a)
    add_profile(city["officer2"], Body.OFFICER, da, department=city.brigade_a)
    add_profile(city["assistant"], Body.ASSISTANT, da, department=city.brigade_a)
    add_profile(city["supervisor"], Body.SUPERVISOR, da)
    people = {
        "police1": person("police1", Body.POLICE, da, department=police),
        "aux1": person("aux1", Body.AUXILIARY_POLICE, da, department=police),
        "aux2": person("aux2", Body.AUXILIARY_POLICE, da, department=police),
        "assistant2": person(
            "assistant2", Body.ASSISTANT, da, department=city.brigade_a, role=Role.ASSISTANT
        ),
        "assistant3": person(
            "assistant3", Body.ASSISTANT, da, department=city.brigade_a, role=Role.ASSISTANT
        ),
        "officer_b": person(
            "officer_b",
            Body.OFFICER,
            db_,
            department=city.brigade_b,
            role=Role.OFFICER,
            certified_until=date(2029, 12, 31),
        ),
    }
    return Staff(police=police, people=people)


@pytest.fixture
def patterns(db) -> dict[str, ShiftPattern]:
    return {
        "day": ShiftPattern.objects.create(code="D", name="早班", start=time(7), end=time(15)),
        "evening": ShiftPattern.objects.create(code="E", name="中班", start=time(15), end=time(23)),
        "night": ShiftPattern.objects.create(code="N", name="夜班", start=time(23), end=time(7)),
    }
