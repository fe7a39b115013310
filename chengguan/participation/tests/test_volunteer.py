"""A volunteer's report becomes a case; when it is filed the volunteer earns points once; the volunteer sees their
own reports and points and nothing of the case register."""

import pytest
from django.urls import reverse

from chengguan.cases.models import Case
from chengguan.cases.services import case_act
from chengguan.cases.testing import POINT_A, Upload, png_bytes
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.core.errors import PermissionDenied
from chengguan.grids.testing import make_grids
from chengguan.participation.models import VolunteerPoints, VolunteerReport
from chengguan.participation.volunteers import points_balance, volunteer_report
from chengguan.public.models import PointsEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def garbage(city):
    make_grids(city)
    return MatterType.objects.get(code="06010")


def _file(city, case):
    case = case_act(actor=city["operator"], case=case, action="accept")
    condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
    return case_act(actor=city["shift_leader"], case=case, action="file",
                    **({"filing_condition_id": condition.pk} if condition else {}))


def test_a_volunteer_report_filed_earns_points_once(city, frozen, media, volunteer, garbage,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = volunteer_report(actor=volunteer, matter=garbage, lng=POINT_A[0], lat=POINT_A[1],
                                  description="垃圾桶满溢", address="西门大街", photos=[Upload(png_bytes())])
    case = report.case
    assert case.channel == "volunteer" and case.reporter_name == "李网格" and case.attachments.count() == 1
    assert points_balance(volunteer) == 0  # reported, not yet filed
    with django_capture_on_commit_callbacks(execute=True):
        case = _file(city, case)
    assert case.state == "filed"
    assert points_balance(volunteer) == 10
    entry = VolunteerPoints.objects.get(volunteer=volunteer)
    assert entry.report == report and entry.reason == "file"
    from chengguan.participation.volunteers import points_award

    assert points_award(case_id=case.pk, action="file", at=entry.at) is None  # the same action pays once
    assert points_balance(volunteer) == 10
    assert not PointsEntry.objects.exists()  # no citizen points by phone for it


def test_the_volunteer_page_shows_points_and_reports_but_never_the_register(city, frozen, media, volunteer, garbage,
                                                                           login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = volunteer_report(actor=volunteer, matter=garbage, lng=POINT_A[0], lat=POINT_A[1],
                                  description="垃圾桶满溢")
        _file(city, report.case)
    client = login(volunteer)
    page = client.get(reverse("participation:volunteer")).content.decode()
    assert "我的上报与积分" in page and "暴露垃圾" in page and "+10" in page
    # the case register and the case itself stay closed to the volunteer
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == 403 or report.case.number not in listing.content.decode()
    assert client.get(reverse("cases:detail", args=[report.case.pk])).status_code in (403, 404)
    # positive control: the operator reaches the case
    assert login(city["operator"]).get(reverse("cases:detail", args=[report.case.pk])).status_code == 200


def test_the_volunteer_reports_on_the_page(city, frozen, media, volunteer, garbage, login):
    client = login(volunteer)
    response = client.post(reverse("participation:volunteer"), {
        "matter": garbage.pk, "description": "道路上有暴露垃圾", "address": "西门大街", "lng": POINT_A[0],
        "lat": POINT_A[1], "crs": "gcj02", "photos": Upload(png_bytes())})
    assert response.status_code == 302
    assert VolunteerReport.objects.get(volunteer=volunteer).case.description == "道路上有暴露垃圾"


@pytest.mark.parametrize("who", ["supervisor", "outsider", "officer", "nobody"])
def test_only_volunteers_report_here(city, frozen, media, garbage, login, who):
    with pytest.raises(PermissionDenied):
        volunteer_report(actor=city[who], matter=garbage, lng=POINT_A[0], lat=POINT_A[1], description="越权上报")
    response = login(city[who]).post(reverse("participation:volunteer"), {
        "matter": garbage.pk, "description": "越权上报", "lng": POINT_A[0], "lat": POINT_A[1], "crs": "gcj02"})
    assert response.status_code == 403
    assert not Case.objects.exists()
