"""The staff file: training, rotation (交流轮岗), accountability and the five-in-one file."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.patrol.models import RotationRecord
from chengguan.patrol.selectors.staff import assistant_ready, five_in_one_file, profile_for_viewer
from chengguan.patrol.services.staff import (
    accountability_record_add,
    file_entry_add,
    staff_exit,
    staff_rotate,
    training_record_add,
)

from .conftest import person


def test_it_builds_the_five_in_one_file_of_an_officer(city, staff):
    officer, leader = city["officer"], city["leader"]
    training_record_add(
        actor=leader,
        user=officer,
        subject="行政处罚法专题",
        category="legal",
        started_on=date(2026, 4, 1),
        hours="16",
        result="passed",
    )
    file_entry_add(
        actor=leader,
        user=officer,
        category="publicity",
        occurred_on=date(2026, 5, 8),
        title="城管进社区普法宣传",
    )
    file_entry_add(
        actor=leader,
        user=officer,
        category="case_review",
        occurred_on=date(2026, 6, 1),
        title="2026年上半年案卷评查",
        score=92,
    )
    file_entry_add(
        actor=leader,
        user=officer,
        category="case_review",
        occurred_on=date(2026, 12, 1),
        title="2026年下半年案卷评查",
        score="85",
    )
    accountability_record_add(
        actor=leader,
        user=officer,
        decided_on=date(2026, 7, 1),
        kind="criticism",
        reason="执法记录仪未全程开启",
        authority="市城管局",
    )
    file = five_in_one_file(officer.staff_profile, year=2026)
    assert file.training_hours == Decimal("16")
    assert [e.title for e in file.entries["publicity"]] == ["城管进社区普法宣传"]
    assert file.case_review_average == Decimal("88.5")
    assert [a.kind for a in file.accountability] == ["criticism"]
    assert five_in_one_file(officer.staff_profile, year=2025).training == []


def test_it_rejects_bad_file_input(city, staff):
    with pytest.raises(ValidationError) as err:
        file_entry_add(
            actor=city["leader"],
            user=city["officer"],
            category="case_review",
            occurred_on=date(2026, 1, 1),
            title="评查",
            score=120,
        )
    assert err.value.field == "score"
    with pytest.raises(ValidationError) as err:
        training_record_add(
            actor=city["leader"],
            user=city["officer"],
            subject="x",
            category="legal",
            started_on=date(2026, 1, 1),
            hours="-2",
            result="passed",
        )
    assert err.value.field == "hours"
    with pytest.raises(ValidationError) as err:
        accountability_record_add(
            actor=city["leader"],
            user=city["officer"],
            decided_on=date(2026, 1, 1),
            kind="beheading",
            reason="x",
        )
    assert err.value.field == "kind"


def test_a_rotation_moves_the_person_and_keeps_history(city, staff):
    profile = city["officer"].staff_profile
    record = staff_rotate(
        actor=city["leader"],
        profile=profile,
        to_region=city.district_b,
        to_department=city.brigade_b,
        to_post="中队长",
        effective_on=date(2026, 9, 1),
        reason="干部交流轮岗",
    )
    profile.refresh_from_db()
    assert (profile.region, profile.department, profile.post) == (city.district_b, city.brigade_b, "中队长")
    assert (record.from_region, record.from_department) == (city.district_a, city.brigade_a)
    assert RotationRecord.objects.filter(user=city["officer"]).count() == 1
    with pytest.raises(ValidationError):
        staff_rotate(
            actor=city["leader"],
            profile=profile,
            to_region=city.district_b,
            to_department=city.brigade_b,
            effective_on=date(2026, 9, 2),
        )


def test_a_district_cannot_rotate_someone_it_does_not_manage(city, staff):
    district_b_leader = person("leader_b", "other", city.district_b, role="leader")
    with pytest.raises(PermissionDenied):
        staff_rotate(
            actor=district_b_leader,
            profile=city["officer"].staff_profile,
            to_region=city.district_b,
            effective_on=date(2026, 9, 1),
        )


def test_an_assistant_leaves_through_the_exit_mechanism(city, staff):
    profile = city["assistant"].staff_profile
    staff_exit(actor=city["leader"], profile=profile, left_on=date(2026, 6, 30), reason="合同期满")
    with pytest.raises(Conflict):
        staff_exit(actor=city["leader"], profile=profile, left_on=date(2026, 7, 1), reason="again")


def test_an_assistant_is_ready_for_duty_only_after_pre_service_training(city, staff):
    rookie = person("rookie", "assistant", city.district_a, trained=False)
    assert not assistant_ready(rookie)
    training_record_add(
        actor=city["leader"],
        user=rookie,
        subject="岗前培训",
        category="pre_service",
        started_on=date(2026, 3, 1),
        hours=40,
        result="failed",
    )
    assert not assistant_ready(rookie)
    training_record_add(
        actor=city["leader"],
        user=rookie,
        subject="岗前培训（补考）",
        category="pre_service",
        started_on=date(2026, 3, 20),
        hours=8,
        result="passed",
    )
    assert assistant_ready(rookie)


def test_a_file_is_read_by_its_owner_and_staff_viewers_only(city, staff):
    officer = city["officer"]
    assert profile_for_viewer(officer, officer.pk).user == officer
    assert profile_for_viewer(city["legal_reviewer"], officer.pk).user == officer
    for actor in (city["officer2"], city["outsider"], city["nobody"]):
        with pytest.raises(Http404):
            profile_for_viewer(actor, officer.pk)
