"""A frontage violation found on patrol becomes a digital-urban-management case (source 执法巡查) and/or an
enforcement clue; both are linked both ways. Joint operations link the enforcement cases they produce."""

from datetime import date

import pytest
from django.urls import reverse

from chengguan.cases.models import Source
from chengguan.cases.workflow import State
from chengguan.conftest import _user
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.models import EnforcementBody, EnforcementCase
from chengguan.enforcement.services import case_register_clue
from chengguan.org.models import OfficerCertificate, Role
from chengguan.patrol.services.campaigns import operation_start_ad_hoc
from chengguan.patrol.services.frontage import shop_inspect
from chengguan.patrol.services.links import (
    operation_enforcement_case_link,
    violation_open_clue,
    violation_report_case,
)

from . import test_case_links as base

# the fixtures of the case-link tests: frozen time, grids, matters and a shop with an agreement in district A
frozen_time, grids, matters, shop = base.frozen_time, base.grids, base.matters, base.shop


@pytest.fixture(autouse=True)
def body(city):
    return EnforcementBody.objects.create(
        department=city.bureau, name="开封市城市管理局", short_name="汴城管"
    )


@pytest.fixture
def violation(city, shop, matters):
    inspection = shop_inspect(
        actor=city["officer"],
        shop=shop,
        failures=[{"obligation": "order", "description": "店外经营占用人行道", "matter": matters["09005"]}],
    )
    return inspection.violations.get()


def test_an_officers_finding_waits_for_the_officer_and_reports_as_enforcement_patrol(city, violation):
    assert violation.case is None  # nothing opened at the inspection: the officer chooses
    case = violation_report_case(actor=city["officer"], violation=violation)
    violation.refresh_from_db()
    assert violation.case == case
    assert (case.source, case.matter.code, case.state) == (Source.PATROL, "09005", State.REPORTED)
    assert case.get_source_display() == str(Source.PATROL.label) != "patrol"
    with pytest.raises(Conflict) as err:
        violation_report_case(actor=city["officer"], violation=violation)
    assert err.value.code == "already_reported"


def test_an_assistant_may_report_a_case_but_not_open_a_clue(city, violation):
    case = violation_report_case(actor=city["assistant"], violation=violation)
    assert case.source == Source.PATROL and case.reporter == city["assistant"]
    with pytest.raises(PermissionDenied) as err:
        violation_open_clue(actor=city["assistant"], violation=violation)
    assert err.value.code == "assistant_not_certified"
    assert not EnforcementCase.objects.exists()


def test_outsiders_may_do_neither(city, violation):
    for name in ("outsider", "nobody", "department_handler"):
        with pytest.raises(PermissionDenied):
            violation_report_case(actor=city[name], violation=violation)
        with pytest.raises(PermissionDenied):
            violation_open_clue(actor=city[name], violation=violation)
    officer_b = _user("officer_b", Role.OFFICER, region=city.district_b, department=city.brigade_b)
    with pytest.raises(PermissionDenied):
        violation_open_clue(actor=officer_b, violation=violation)
    violation.refresh_from_db()
    assert violation.case is None and violation.clue is None


def test_an_officer_opens_a_clue_through_the_enforcement_intake(city, shop, violation):
    clue = violation_open_clue(actor=city["officer"], violation=violation)
    violation.refresh_from_db()
    assert violation.clue == clue
    assert (clue.source, clue.state, clue.department, clue.region) == (
        "patrol",
        "clue",
        city.brigade_a,
        shop.region,
    )
    assert clue.party_name == "王老板" and clue.place == "书店街12号"
    assert f"#{violation.pk}" in clue.source_reference
    assert list(clue.shop_violations.all()) == [violation]
    with pytest.raises(Conflict):
        violation_open_clue(actor=city["officer2"], violation=violation)
    # the same violation may also be reported as a case: both links stay
    case = violation_report_case(actor=city["officer"], violation=violation)
    violation.refresh_from_db()
    assert (violation.case, violation.clue) == (case, clue)


def test_an_officer_without_a_valid_certificate_opens_no_clue(city, violation):
    OfficerCertificate.objects.filter(user=city["officer"]).update(valid_to=date(2026, 3, 1))
    with pytest.raises(PermissionDenied) as err:
        violation_open_clue(actor=city["officer"], violation=violation)
    assert err.value.code == "no_certificate"


def test_a_violation_without_a_matter_needs_one_to_become_a_case(city, shop, matters):
    inspection = shop_inspect(
        actor=city["officer"],
        shop=shop,
        failures=[{"obligation": "cleanliness", "description": "门前有垃圾"}],
    )
    violation = inspection.violations.get()
    with pytest.raises(ValidationError) as err:
        violation_report_case(actor=city["officer"], violation=violation)
    assert err.value.field == "matter"
    case = violation_report_case(actor=city["officer"], violation=violation, matter=matters["06010"])
    assert case.matter.code == "06010"


def test_the_shop_page_offers_the_actions_and_both_sides_show_the_link(client, city, shop, violation, login):
    url = reverse("patrol:shop", args=[shop.pk])
    login(city["assistant"])
    page = client.get(url).content.decode()
    assert 'value="report_case"' in page and 'value="open_clue"' not in page
    answer = client.post(url, {"form": "open_clue", "violation": violation.pk}, follow=True)
    assert "协管员没有执法证" in answer.content.decode()  # the refusal, in the page's language
    login(city["officer"])
    page = client.get(url).content.decode()
    assert 'value="report_case"' in page and 'value="open_clue"' in page
    client.post(url, {"form": "report_case", "violation": violation.pk})
    client.post(url, {"form": "open_clue", "violation": violation.pk})
    violation.refresh_from_db()
    assert violation.case and violation.clue
    page = client.get(url).content.decode()
    assert violation.case.number in page and violation.clue.clue_number in page
    shop_url = reverse("patrol:shop", args=[shop.pk])
    case_page = client.get(reverse("cases:detail", args=[violation.case.pk])).content.decode()
    assert shop_url in case_page
    clue_page = client.get(reverse("enforcement:detail", args=[violation.clue.pk])).content.decode()
    assert shop_url in clue_page


def test_an_outsider_posting_the_actions_changes_nothing(client, city, shop, violation, login):
    login(city["outsider"])
    url = reverse("patrol:shop", args=[shop.pk])
    for form in ("report_case", "open_clue"):
        answer = client.post(url, {"form": form, "violation": violation.pk})
        assert answer.status_code in (302, 404)
    violation.refresh_from_db()
    assert violation.case is None and violation.clue is None


def test_a_joint_operation_links_the_enforcement_cases_it_produced(city, client, login):
    operation = operation_start_ad_hoc(actor=city["officer"], title="夜市整治", region=city.district_a)
    clue = case_register_clue(
        actor=city["officer"],
        region=city.community_a1,
        department=city.brigade_a,
        source="patrol",
        title="占道经营",
    )
    operation_enforcement_case_link(actor=city["officer"], operation=operation, enforcement_case=clue)
    assert list(clue.joint_operations.all()) == [operation]
    with pytest.raises(PermissionDenied):
        operation_enforcement_case_link(actor=city["assistant"], operation=operation, enforcement_case=clue)
    other = case_register_clue(
        actor=city["officer"], region=city.community_a1, department=city.brigade_a, source="patrol", title="x"
    )
    other.region = city.district_b
    other.save(update_fields=["region"])
    with pytest.raises(ValidationError):
        operation_enforcement_case_link(actor=city["officer"], operation=operation, enforcement_case=other)
    login(city["officer"])
    clue_page = client.get(reverse("enforcement:detail", args=[clue.pk])).content.decode()
    assert reverse("patrol:operation", args=[operation.pk]) in clue_page
    op_page = client.get(reverse("patrol:operation", args=[operation.pk])).content.decode()
    assert clue.clue_number in op_page


def test_only_officers_and_assistants_report_as_enforcement_patrol(city, grids, matters):
    from chengguan.cases.services import case_report

    for name in ("supervisor", "operator", "nobody"):
        with pytest.raises(PermissionDenied):
            case_report(
                actor=city[name], source="patrol", matter=matters["09005"], lng=114.3075, lat=34.8075,
                crs="gcj02", description="店外经营",
            )  # fmt: skip
    case = case_report(
        actor=city["assistant"], source="patrol", matter=matters["09005"], lng=114.3075, lat=34.8075,
        crs="gcj02", description="店外经营",
    )  # fmt: skip
    assert case.source == "patrol"
