"""Report times in the past and borrowed sources (issue 17 item 7): staff may be a day late (an offline phone),
not more; imports and listed integrations may go further back, bounded, and the report event records how far;
no staff member files a citizen report (citizen points are paid per phone)."""

from datetime import timedelta

import pytest

from chengguan.cases.models import CaseEvent
from chengguan.core.errors import PermissionDenied, ValidationError

from .conftest import T0, report


def _hours(case):
    return CaseEvent.objects.get(case=case, action="report").payload.get("backdated_hours")


def test_staff_may_report_a_few_hours_late_and_it_is_recorded(city, grids, garbage, frozen):
    case = report(city, garbage, reported_at=T0 - timedelta(hours=5))
    assert case.reported_at == T0 - timedelta(hours=5) and _hours(case) == 5
    assert _hours(report(city, garbage)) is None


def test_staff_may_not_backdate_a_report_by_years(city, grids, garbage, frozen):
    with pytest.raises(PermissionDenied) as refused:
        report(city, garbage, reported_at=T0.replace(year=2020))
    assert refused.value.field == "reported_at"
    with pytest.raises(PermissionDenied):
        report(city, garbage, by="admin", reported_at=T0 - timedelta(days=3))


def test_a_listed_integration_role_may_backdate_within_the_bound(city, grids, garbage, frozen, settings):
    settings.CASES_BACKDATE_ROLES = ["operator"]
    case = report(city, garbage, by="operator", source="hotline", reported_at=T0 - timedelta(days=3))
    assert _hours(case) == 72
    with pytest.raises(ValidationError) as refused:
        report(city, garbage, by="operator", source="hotline", reported_at=T0 - timedelta(days=40))
    assert refused.value.field == "reported_at"
    with pytest.raises(PermissionDenied):  # not listed
        report(city, garbage, by="dispatcher", source="hotline", reported_at=T0 - timedelta(days=3))


def test_the_import_path_is_not_limited_and_is_recorded(city, grids, garbage, frozen):
    case = report(city, garbage, by=None, source="hotline", reported_at=T0.replace(year=2020),
                  system_role="operator", number="KF2020-000009", at=T0)
    assert case.reported_at.year == 2020 and _hours(case) > 24 * 365


def test_the_api_refuses_a_supervisor_backdating_to_2020(city, grids, frozen, api_client):
    from chengguan.core.coords import from_storage

    from .conftest import POINT_A

    lng, lat = from_storage(*POINT_A, "wgs84")
    response = api_client(city["supervisor"]).post("/api/v1/cases", {
        "matter_code": "06010", "lng": lng, "lat": lat, "crs": "wgs84", "description": "旧事",
        "reported_at": "2020-01-05T09:00:00+08:00"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["field"] == "reported_at"


@pytest.mark.parametrize("by", ["supervisor", "operator", "admin", "officer"])
def test_no_staff_member_files_a_citizen_report(city, grids, garbage, frozen, by):
    with pytest.raises(PermissionDenied) as refused:
        report(city, garbage, by=by, source="citizen", reporter_phone="13912341234")
    assert refused.value.field == "source"


def test_a_citizen_account_and_the_portal_still_file_citizen_reports(city, grids, garbage, frozen):
    assert report(city, garbage, by="nobody", source="citizen").source == "citizen"
    assert report(city, garbage, by=None, source="citizen", reporter_phone="13912341234").source == "citizen"
