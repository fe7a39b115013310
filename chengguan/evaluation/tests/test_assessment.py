"""Assessment (考评): plus/minus items without cap or floor, evidence, accountability, the 25 % digital share."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chengguan.core.errors import NotFound, PermissionDenied, ValidationError
from chengguan.evaluation.access import Viewer
from chengguan.evaluation.models import AssessmentItem, AssessmentRecord, AssessmentSettings
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.selectors import assessment_table
from chengguan.evaluation.services import (
    accountability_record,
    assessment_cancel,
    assessment_record,
    evidence_attach,
)
from chengguan.org.models import Role, RoleAssignment, User

from .conftest import png
from .scenario import build_march

MARCH = parse_period("2026-03")


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def item(code):
    return AssessmentItem.objects.get(code=code)


def record(city, code, *, street=None, department=None, quantity=1, on=date(2026, 3, 20)):
    return assessment_record(
        actor=city["leader"],
        item=item(code),
        street=street,
        department=department,
        occurred_on=on,
        found_by="daily_patrol",
        quantity=quantity,
        description="巡查发现",
    )


def rows_by_name(table):
    return {r["name"]: r for r in table.rows}


def test_points_add_up_without_cap_or_floor_and_weigh_in_the_digital_score(march, city):
    record(city, "ZR-01", street=city.street_a, quantity=3)  # −2 × 3
    record(city, "CG-01", street=city.street_a)  # +2
    streets = rows_by_name(assessment_table(MARCH, Viewer(None), "street"))
    a = streets[city.street_a.name]
    assert (a["occurrences"], a["plus"], a["minus"], a["assessment"]) == (4, 2.0, -6.0, 96.0)
    assert a["digital"] == pytest.approx(81.33, abs=0.01)  # street A has all of district A's cases
    assert a["total"] == pytest.approx(0.75 * 96 + 0.25 * a["digital"], abs=0.01)
    record(city, "ZR-03", street=city.street_b, quantity=40)  # −5 × 40: far below zero, no floor
    b = rows_by_name(assessment_table(MARCH, Viewer(None), "street"))[city.street_b.name]
    assert b["assessment"] == -100.0
    assert b["total"] == pytest.approx(0.75 * -100 + 0.25 * b["digital"], abs=0.01)


def test_departments_are_assessed_the_same_way(march, city):
    record(city, "YG-02", department=city.sanitation, quantity=2)  # −0.5 × 2
    rows = rows_by_name(assessment_table(MARCH, Viewer(None), "department"))
    san = rows[city.sanitation.name]
    assert (san["assessment"], san["digital"]) == (99.0, pytest.approx(60.0, abs=0.01))
    assert san["total"] == pytest.approx(0.75 * 99 + 0.25 * 60, abs=0.01)


def test_the_digital_share_is_configurable(march, city):
    AssessmentSettings.objects.update(street_digital_weight=50)
    a = rows_by_name(assessment_table(MARCH, Viewer(None), "street"))[city.street_a.name]
    assert a["total"] == pytest.approx(0.5 * 100 + 0.5 * a["digital"], abs=0.01)


def test_a_cancelled_record_no_longer_counts(march, city):
    r = record(city, "ZR-01", street=city.street_a)
    assessment_cancel(actor=city["leader"], record=r, reason="复核不成立")
    a = rows_by_name(assessment_table(MARCH, Viewer(None), "street"))[city.street_a.name]
    assert a["assessment"] == 100.0
    with pytest.raises(ValidationError):
        assessment_cancel(actor=city["leader"], record=r, reason="")


def test_records_are_checked(city):
    with pytest.raises(ValidationError) as err:
        record(city, "ZR-01", department=city.sanitation)  # a street-only item
    assert err.value.field == "item"
    with pytest.raises(ValidationError):
        record(city, "ZR-01", street=city.district_a)  # districts are not assessed as streets
    with pytest.raises(ValidationError):
        record(city, "ZR-01", street=city.street_a, on=date(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=city["supervisor"],
            item=item("ZR-01"),
            street=city.street_a,
            occurred_on=date(2026, 3, 1),
            found_by="daily_patrol",
            description="x",
        )


def test_a_district_leader_assesses_only_their_own_streets(city):
    leader_b = User.objects.create_user(username="leader_b", password="x")
    RoleAssignment.objects.create(user=leader_b, role=Role.LEADER, region=city.district_b)
    with pytest.raises(NotFound):
        assessment_record(
            actor=leader_b,
            item=item("ZR-01"),
            street=city.street_a,
            occurred_on=date(2026, 3, 1),
            found_by="cross_check",
            description="互查发现",
        )
    r = assessment_record(
        actor=leader_b,
        item=item("ZR-01"),
        street=city.street_b,
        occurred_on=date(2026, 3, 1),
        found_by="cross_check",
        description="互查发现",
    )
    assert r.points == -2


def test_evidence_is_stored_with_its_hash(city):
    r = record(city, "ZR-02", street=city.street_a)
    evidence = evidence_attach(
        actor=city["leader"], record=r, file=SimpleUploadedFile("现场.png", png(), content_type="image/png")
    )
    assert len(evidence.sha256) == 64 and evidence.size > 0 and r.evidence.count() == 1
    with pytest.raises(ValidationError) as err:
        evidence_attach(
            actor=city["leader"],
            record=r,
            file=SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload"),
        )
    assert err.value.field == "file"


def test_accountability_actions_are_recorded(city):
    r = record(city, "ZR-03", street=city.street_a)
    action = accountability_record(
        actor=city["leader"],
        kind="interview",
        street=city.street_a,
        person="街道分管领导",
        reason="新增违法建设未及时制止",
        decided_on=date(2026, 3, 21),
        record=r,
    )
    assert action.get_kind_display() and r.actions.count() == 1
    with pytest.raises(ValidationError):
        accountability_record(
            actor=city["leader"], kind="fine", street=city.street_a, reason="x", decided_on=date(2026, 3, 21)
        )


def test_the_assessment_page_records_with_evidence(march, login, city):
    client = login(city["leader"])
    response = client.post(
        reverse("evaluation:record_create"),
        {
            "item": item("ZR-01").pk,
            "street": city.street_a.pk,
            "occurred_on": "2026-03-20",
            "found_by": "special_check",
            "quantity": "2",
            "description": "专项检查发现暴露垃圾",
            "case_number": march["clean"].number,
            "evidence": SimpleUploadedFile("p.png", png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    r = AssessmentRecord.objects.get()
    assert (r.points, r.case, r.evidence.count()) == (-4, march["clean"], 1)
    body = client.get(reverse("evaluation:assessment") + "?period=2026-03").content.decode()
    assert "96.00" in body
    assert client.get(reverse("evaluation:record", args=[r.pk])).status_code == 200


def test_only_assessors_record_and_outsiders_do_not_see_records(march, login, city):
    r = record(city, "ZR-01", street=city.street_a)
    client = login(city["supervisor"])
    assert client.post(reverse("evaluation:record_create"), {}).status_code == 403
    assert client.post(reverse("evaluation:record_cancel", args=[r.pk]), {"reason": "x"}).status_code == 403
    outsider = login(city["outsider"])
    assert outsider.get(reverse("evaluation:record", args=[r.pk])).status_code == 404
    body = outsider.get(reverse("evaluation:assessment") + "?period=2026-03").content.decode()
    assert city.street_a.name not in body
