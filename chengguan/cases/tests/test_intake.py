"""Reports from every source become cases awaiting acceptance, placed by the geocoder, numbered per year."""

from datetime import timedelta

import pytest

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.grids.geocoder import OutsideCity

from ..models import Case, CaseCounter, CaseEvent
from ..workflow import State
from .conftest import POINT_A, T0, report


def test_it_registers_a_supervisor_report_with_place_deadline_and_event(city, grids, garbage, frozen):
    case = report(city, garbage)
    assert case.number == "KF2026-000001"
    assert case.state == State.REPORTED and case.is_open
    assert case.unit_grid.code == "410202001001006"
    assert (case.community, case.street, case.district) == (city.community_a1, city.street_a, city.district_a)
    assert case.responsibility_grid == grids.responsibility_a
    assert case.area_class == "B"
    assert case.step == "accept" and case.step_started_at == T0
    assert case.deadline == T0 + timedelta(minutes=30)  # 30 working minutes, inside the morning
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.from_state, event.to_state, event.actor_role) == (
        "report",
        "",
        "reported",
        "supervisor",
    )
    assert event.deadline == case.deadline


def test_it_numbers_cases_per_year_without_gaps(city, grids, garbage, frozen):
    numbers = [report(city, garbage).number for _ in range(3)]
    assert numbers == ["KF2026-000001", "KF2026-000002", "KF2026-000003"]
    assert CaseCounter.objects.get(year=2026).last == 3


def test_it_skips_a_number_an_imported_case_holds(city, grids, garbage, frozen):
    report(city, garbage, number="KF2026-000001")
    assert report(city, garbage).number == "KF2026-000002"


def test_it_accepts_a_citizen_report_without_an_account_and_keeps_the_phone(city, grids, garbage, frozen):
    case = report(
        city,
        garbage,
        by=None,
        source="citizen",
        reporter_name="张三",
        reporter_phone="13912341234",
        channel_ref="wechat",
    )
    assert case.reporter is None and case.reporter_phone == "13912341234" and case.channel == "wechat"
    assert CaseEvent.objects.get(case=case).actor_role == "citizen"


def test_it_converts_wgs84_input_to_storage(city, grids, garbage, frozen):
    from chengguan.core.coords import from_storage

    lng, lat = from_storage(*POINT_A, "wgs84")
    case = report(city, garbage, point=(lng, lat), crs="wgs84")
    assert abs(case.lng - POINT_A[0]) < 1e-6 and abs(case.lat - POINT_A[1]) < 1e-6


@pytest.mark.parametrize(
    "by,source",
    [("assistant", "supervisor"), ("nobody", "hotline"), (None, "supervisor"), ("operator", "leader")],
)
def test_it_refuses_reporters_without_the_role_for_the_source(city, grids, garbage, frozen, by, source):
    with pytest.raises(PermissionDenied):
        report(city, garbage, by=by, source=source)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"description": "  "}, "description"),
        ({"severity": "whenever"}, "severity"),
        ({"reporter_phone": "call me"}, "reporter_phone"),
        ({"source": "pigeon"}, "source"),
        ({"reported_at": T0 + timedelta(days=1)}, "reported_at"),
        ({"crs": "mars"}, "crs"),
    ],
)
def test_it_names_the_field_of_bad_input_and_writes_nothing(city, grids, garbage, frozen, extra, field):
    with pytest.raises(ValidationError) as err:
        report(city, garbage, **extra)
    assert err.value.field == field
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_it_refuses_a_point_outside_the_city(city, grids, garbage, frozen):
    with pytest.raises(OutsideCity):
        report(city, garbage, point=(116.4, 39.9))
    assert not Case.objects.exists()
