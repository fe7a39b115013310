"""Where the catalogue's filing condition asks for a photo, a field report of that matter carries one: the phone
form says so beside the matter, and a report without a photo is refused with the field named and nothing kept."""

import pytest

from chengguan.catalog.models import FilingCondition
from chengguan.core.coords import from_storage
from chengguan.core.errors import ValidationError

from ..models import Attachment, Case
from .conftest import POINT_A, Upload, png_bytes, report


@pytest.fixture
def needs_photo(garbage):
    FilingCondition.objects.filter(matter=garbage).update(photo_required=True)
    return garbage


def test_a_supervisor_report_without_a_photo_is_refused_and_nothing_is_kept(city, grids, needs_photo, frozen, photo):
    with pytest.raises(ValidationError) as exc:
        report(city, needs_photo)
    assert exc.value.field == "photos"
    assert Case.objects.count() == 0
    # positive control: the same report with a photo is registered
    case = report(city, needs_photo, photos=[photo(city["supervisor"], kind="before").pk])
    assert case.attachments.count() == 1


def test_a_citizen_or_hotline_report_needs_no_photo(city, grids, needs_photo, frozen):
    case = report(city, needs_photo, by=None, source="citizen", reporter_phone="13800138000")
    assert case.pk and case.attachments.count() == 0  # a supervisor verifies and photographs it later


def test_without_the_condition_a_supervisor_may_report_without_a_photo(city, grids, garbage, frozen):
    assert report(city, garbage).pk  # the default: photos optional


def test_the_phone_form_says_so_and_refuses_in_chinese(city, grids, needs_photo, frozen, login):
    phone = login(city["supervisor"])
    options = phone.get("/m/matters/", {"q": "06010"}).content.decode()
    assert 'data-photo-required="1"' in options and "须附照片" in options
    lng, lat = from_storage(*POINT_A, "wgs84")
    form = {"matter_code": "06010", "description": "路口暴露垃圾", "lng": lng, "lat": lat, "crs": "wgs84"}
    page = phone.post("/m/report/", form, follow=True).content.decode()
    assert "须附现场照片" in page and Case.objects.count() == 0 and Attachment.objects.count() == 0
    response = phone.post("/m/report/", {**form, "photos": [Upload(png_bytes(fmt="JPEG"), "a.jpg")]})
    assert response.status_code == 302 and Case.objects.count() == 1
