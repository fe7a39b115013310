"""Certificate and assistant rules: no exam no certificate, assistants never hold one, revocation is immediate."""

from datetime import date

import pytest
import time_machine

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.selectors import valid_certificate
from chengguan.patrol.models import ActivityLog, Body, StaffProfile
from chengguan.patrol.selectors.staff import certificate_registry, certificate_status
from chengguan.patrol.services.staff import certificate_issue, certificate_revoke, staff_profile_save

from .conftest import certify, person


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel("2026-03-01 09:00 +08:00", tick=False):
        yield


def issue(actor, user, **overrides):
    args = {
        "number": "豫A-10001",
        "issuer": "河南省人民政府",
        "valid_from": date(2026, 1, 1),
        "valid_to": date(2030, 12, 31),
        "exam_passed_on": date(2025, 11, 20),
    }
    args.update(overrides)
    return certificate_issue(actor=actor, user=user, **args)


def test_it_registers_a_certificate_for_an_officer_who_passed_the_exam(city, staff):
    newcomer = person("newcomer", Body.OFFICER, city.district_a)
    cert = issue(city["leader"], newcomer)
    assert valid_certificate(newcomer, date(2026, 3, 1)) == cert
    assert ActivityLog.objects.filter(action="certificate.issue", target_id=cert.pk).exists()


def test_it_refuses_a_certificate_without_a_passed_exam(city, staff):
    newcomer = person("newcomer", Body.OFFICER, city.district_a)
    with pytest.raises(ValidationError) as err:
        issue(city["leader"], newcomer, exam_passed_on=None)
    assert err.value.field == "exam_passed_on"
    with pytest.raises(ValidationError) as err:
        issue(city["leader"], newcomer, exam_passed_on=date(2026, 2, 1))
    assert err.value.field == "valid_from"
    assert not newcomer.certificates.exists()


def test_it_never_gives_an_assistant_an_enforcement_certificate(city, staff):
    with pytest.raises(ValidationError) as err:
        issue(city["leader"], city["assistant"])
    assert err.value.field == "user"
    assert not city["assistant"].certificates.exists()


def test_it_refuses_a_duplicate_number_and_a_person_without_a_file(city, staff):
    newcomer = person("newcomer", Body.OFFICER, city.district_a)
    with pytest.raises(ValidationError) as err:
        issue(city["leader"], newcomer, number="豫A-00000")  # officer's number from the shared fixture
    assert err.value.field == "number"
    with pytest.raises(ValidationError) as err:
        issue(city["leader"], city["nobody"])
    assert err.value.field == "user"


def test_it_lets_only_managers_of_the_district_issue_certificates(city, staff):
    officer_b = staff["officer_b"]
    for actor in (city["outsider"], city["officer"], city["nobody"]):
        with pytest.raises(PermissionDenied):
            issue(actor, officer_b, number="豫B-1")
    # a leader bound to the city may act in any district
    assert issue(city["leader"], officer_b, number="豫B-1").user == officer_b


def test_a_revoked_certificate_blocks_enforcement_at_once(city, staff):
    officer = city["officer"]
    cert = valid_certificate(officer, date(2026, 3, 1))
    assert cert is not None
    certificate_revoke(actor=city["leader"], certificate=cert, reason="调离执法岗位")
    assert valid_certificate(officer, date(2026, 3, 1)) is None
    cert.refresh_from_db()
    assert certificate_status(cert, date(2026, 3, 1)) == "revoked"
    with pytest.raises(PermissionDenied):
        certificate_revoke(
            actor=city["outsider"], certificate=certify(staff["officer_b"], date(2027, 1, 1)), reason="x"
        )


def test_an_expired_certificate_shows_as_expired_in_the_registry(city, staff):
    old = person("old_hand", Body.OFFICER, city.district_a, certified_until=date(2026, 2, 28))
    entries = {e.certificate.user: e for e in certificate_registry(city["leader"], date(2026, 3, 1))}
    assert entries[old].status == "expired"
    assert entries[old].days_left == -1
    assert valid_certificate(old, date(2026, 3, 1)) is None
    assert entries[city["officer"]].status == "valid"


def test_an_assistant_needs_an_employer_and_no_certificate(city, staff):
    user = city["nobody"]
    with pytest.raises(ValidationError) as err:
        staff_profile_save(
            actor=city["leader"],
            user=user,
            body=Body.ASSISTANT,
            region=city.district_a,
            employment="dispatched",
        )
    assert err.value.field == "employer"
    with pytest.raises(ValidationError) as err:
        staff_profile_save(
            actor=city["leader"],
            user=user,
            body=Body.ASSISTANT,
            region=city.district_a,
            employer="某劳务公司",
        )
    assert err.value.field == "employment"
    assert not StaffProfile.objects.filter(user=user).exists()
    # an officer with a valid certificate cannot be turned into an assistant
    with pytest.raises(ValidationError) as err:
        staff_profile_save(
            actor=city["leader"],
            user=city["officer"],
            body=Body.ASSISTANT,
            region=city.district_a,
            employment="dispatched",
            employer="某劳务公司",
        )
    assert err.value.field == "body"
    profile = staff_profile_save(
        actor=city["leader"],
        user=user,
        body=Body.ASSISTANT,
        region=city.district_a,
        employment="dispatched",
        employer="某劳务公司",
    )
    assert profile.employer == "某劳务公司"


def test_it_keeps_staff_files_to_managers_of_the_region(city, staff):
    with pytest.raises(PermissionDenied):
        staff_profile_save(
            actor=city["outsider"], user=city["nobody"], body=Body.OFFICER, region=city.district_a
        )
    with pytest.raises(PermissionDenied):  # moving someone out of district A needs rights on district A
        staff_profile_save(
            actor=city["outsider"], user=city["officer"], body=Body.OFFICER, region=city.district_b
        )
