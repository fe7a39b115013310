"""Personal information (PIPL) in the case loop: the reporter's name and phone are masked on every page, API
answer, htmx fragment and export, for every role. Operators, shift leaders and a city-wide admin may reveal one
case's reporter for a reason — on the case page (through the public app's reveal view) or by API — and each
reveal is logged; every other role, and anyone outside the case's scope, is refused and nothing is logged."""

import io
import json

import pytest
from openpyxl import load_workbook

from chengguan.public.models import PersonalDataReveal

URL = "/api/v1/cases"
NAME, PHONE = "王小明", "13912341234"
MASKED_NAME, MASKED_PHONE = "王**", "139****1234"
REVEALERS = ["operator", "shift_leader", "admin"]
NON_REVEALERS = ["dispatcher", "department_handler", "supervisor", "officer", "leader", "legal_reviewer"]


@pytest.fixture
def case(walk):
    return walk.to("dispatched", by=None, source="citizen", reporter_name=NAME, reporter_phone=PHONE)


def reveal(client, case, reason="回访核实处理结果"):
    return client.post(
        f"{URL}/{case.pk}/reporter/reveal", json.dumps({"reason": reason}), content_type="application/json"
    )


def as_text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_masked(text: str):
    assert MASKED_PHONE in text and MASKED_NAME in text
    assert PHONE not in text and NAME not in text


@pytest.mark.parametrize("persona", REVEALERS + NON_REVEALERS)
def test_the_api_masks_the_reporter_in_the_list_and_the_detail(case, city, api_client, persona):
    client = api_client(city[persona])
    listing = client.get(URL, {"page_size": 200})
    assert listing.status_code == 200 and PHONE not in as_text(listing)
    response = client.get(f"{URL}/{case.pk}")
    if persona in ("officer", "legal_reviewer") and response.status_code == 404:
        return  # outside the role's view of cases: nothing to mask
    assert response.status_code == 200
    assert_masked(as_text(response))


def test_an_action_answer_is_masked_too(case, city, api_client):
    client = api_client(city["department_handler"])
    response = client.post(
        f"{URL}/{case.pk}/actions/reply", json.dumps({"reason": "已清理"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert_masked(as_text(response))


@pytest.mark.parametrize("persona", REVEALERS)
def test_a_calling_back_role_reveals_by_api_and_it_is_logged(case, city, api_client, persona):
    user = city[persona]
    response = reveal(api_client(user), case)
    assert response.status_code == 200
    assert (response.json()["reporter_name"], response.json()["reporter_phone"]) == (NAME, PHONE)
    log = PersonalDataReveal.objects.get()
    assert (log.actor, log.case, log.reason) == (user, case, "回访核实处理结果")
    assert log.subject == f"{MASKED_NAME} {MASKED_PHONE}" and log.fields == "reporter_name,reporter_phone"


@pytest.mark.parametrize("persona", NON_REVEALERS)
def test_every_other_role_is_refused_and_nothing_is_logged(case, city, api_client, persona):
    response = reveal(api_client(city[persona]), case)
    assert response.status_code in (403, 404)
    assert PHONE not in response.content.decode()
    if response.status_code == 403:
        assert response.json()["field"] == "reason"
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "nobody"])
def test_an_outsider_gets_404_and_nothing_is_logged(case, city, api_client, persona):
    assert reveal(api_client(city[persona]), case).status_code == 404
    assert not PersonalDataReveal.objects.exists()


def test_an_operator_from_another_city_scope_gets_404(walk, api_client, city):
    from chengguan.org.models import Role, RoleAssignment, User

    other = User.objects.create_user("operator_b", password="x")
    RoleAssignment.objects.create(user=other, role=Role.OPERATOR, region=city.district_b)
    case = walk.new(by=None, source="citizen", reporter_name=NAME, reporter_phone=PHONE)
    assert reveal(api_client(other), case).status_code == 404
    assert not PersonalDataReveal.objects.exists()


def test_anonymous_callers_are_refused(case, client):
    assert reveal(client, case).status_code == 401
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("reason", ["", " ", "x"])
def test_a_reveal_needs_a_reason_naming_the_field(case, city, api_client, reason):
    response = reveal(api_client(city["operator"]), case, reason=reason)
    assert response.status_code == 422 and response.json()["field"] == "reason"
    assert not PersonalDataReveal.objects.exists()


def test_a_reveal_without_a_body_names_the_field(case, city, api_client):
    client = api_client(city["operator"])
    response = client.post(f"{URL}/{case.pk}/reporter/reveal", "{}", content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "reason"


@pytest.mark.parametrize("persona", REVEALERS + ["dispatcher", "supervisor", "department_handler"])
def test_the_case_page_is_masked_and_offers_the_reveal_only_to_calling_back_roles(case, city, login, persona):
    response = login(city[persona]).get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert_masked(html)
    assert ('id="case-reveal-form"' in html) is (persona in REVEALERS)
    if persona in REVEALERS:
        assert f'action="/p/staff/cases/{case.pk}/reporter/"' in html


def test_the_reveal_form_of_the_case_page_goes_through_the_logged_reveal(case, city, login):
    client = login(city["operator"])
    response = client.post(
        f"/p/staff/cases/{case.pk}/reporter/", {"reason": "回访"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert PersonalDataReveal.objects.get().actor == city["operator"]


@pytest.mark.parametrize("persona", ["dispatcher", "supervisor"])
def test_a_forged_reveal_post_from_the_case_page_is_refused(case, city, login, persona):
    response = login(city[persona]).post(f"/p/staff/cases/{case.pk}/reporter/", {"reason": "回访"})
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("persona", ["operator", "dispatcher"])
def test_list_rows_htmx_fragment_and_queue_pages_stay_masked(case, city, login, persona):
    client = login(city[persona])
    for url in ("/cases/", "/cases/queue/accept/", "/cases/queue/dispatch/"):
        response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 403) and PHONE not in response.content.decode()


@pytest.mark.parametrize("persona", REVEALERS + ["dispatcher", "leader"])
def test_the_excel_export_is_masked_for_everyone(case, city, login, persona):
    response = login(city[persona]).get("/cases/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    row = next(r for r in rows[1:] if r[0] == case.number)
    assert row[-2:] == (MASKED_NAME, MASKED_PHONE)
    assert all(PHONE not in str(v) and NAME not in str(v) for r in rows for v in r)
    assert not PersonalDataReveal.objects.exists()


def test_the_exchange_export_is_full_for_migration_and_masked_on_request(case, tmp_path):
    from django.core.management import call_command

    full, masked = tmp_path / "full.jsonl", tmp_path / "masked.jsonl"
    call_command("cases", "export", "-o", str(full), stderr=io.StringIO())
    call_command("cases", "export", "-o", str(masked), "--mask-personal-data", stderr=io.StringIO())
    record = json.loads(full.read_text(encoding="utf-8"))
    assert (record["reporter_name"], record["reporter_phone"]) == (NAME, PHONE)
    record = json.loads(masked.read_text(encoding="utf-8"))
    assert (record["reporter_name"], record["reporter_phone"]) == (MASKED_NAME, MASKED_PHONE)
    assert_masked(masked.read_text(encoding="utf-8"))
