"""One description limit for every door: Open311 GeoReport v2 allows 4,000 characters, and so do the hotline API,
the citizen portal and the cases API (chengguan.cases.services.intake.DESCRIPTION_MAX_LENGTH). 4,000 is taken
in full; 4,001 is refused naming the field, and nothing is written."""

import pytest

from chengguan.cases.models import Case
from chengguan.cases.services.intake import DESCRIPTION_MAX_LENGTH
from chengguan.public.models import Open311Submission

from .open311_util import validate
from .test_hotline import order
from .test_hotline import post as hotline_post
from .test_open311 import fms_post

LONGEST = "长" * DESCRIPTION_MAX_LENGTH
TOO_LONG = LONGEST + "长"


def test_the_limit_is_the_open311_limit():
    assert DESCRIPTION_MAX_LENGTH == 4000


def test_open311_takes_4000_characters_in_full(client, grids, frozen, open311_key):
    response = fms_post(client, open311_key, fmt="json", description=LONGEST)
    assert response.status_code == 200, response.content
    case = Case.objects.get(number=response.json()[0]["service_request_id"])
    assert case.description == LONGEST


def test_open311_refuses_4001_characters_naming_the_description(client, grids, frozen, open311_key):
    response = fms_post(client, open311_key, fmt="json", description=TOO_LONG)
    assert response.status_code == 400
    validate("errors", response.json())
    assert response.json()[0]["code"] == "description_too_long"
    assert "description" in response.json()[0]["description"]
    assert not Case.objects.exists() and not Open311Submission.objects.exists()


@pytest.fixture
def hotline(city, grids, garbage, frozen):
    from chengguan.public.services.hotline import hotline_category_map, hotline_system_create

    system, key = hotline_system_create(code="12345", name="12345 市民服务热线")
    hotline_category_map(system=system, code="HJWS-01", matter=garbage, name="环境卫生-垃圾")
    return key


def test_a_hotline_work_order_takes_4000_characters(client, hotline):
    response = hotline_post(client, hotline, order(description=LONGEST))
    assert response.status_code in (200, 201), response.content
    assert Case.objects.get().description == LONGEST


def test_a_hotline_work_order_of_4001_characters_is_refused_naming_the_field(client, hotline):
    response = hotline_post(client, hotline, order(description=TOO_LONG))
    assert response.status_code == 422 and response.json()["field"] == "description"
    assert not Case.objects.exists()


def test_the_portal_form_takes_4000_characters_and_refuses_4001(grids):
    from django.core.exceptions import ValidationError

    from chengguan.public.forms import ReportForm

    field = ReportForm().fields["description"]
    assert field.clean(LONGEST) == LONGEST
    with pytest.raises(ValidationError):
        field.clean(TOO_LONG)
