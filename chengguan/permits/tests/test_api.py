"""/api/v1/permits: the same rules over HTTP, 4xx naming the field with nothing written, outsiders refused; the
public register shows no personal data of a natural person."""

from datetime import date

import pytest
import time_machine

from chengguan.permits.models import Application
from chengguan.permits.services import application_accept, application_grant

from .conftest import at

URL = "/api/v1/permits"


def payload(**extra):
    data = {"kind": "shop_sign", "region": "410202001001", "applicant_type": "organisation",
            "applicant_name": "开封鼓楼小吃店", "applicant_phone": "13900001111", "address": "西门大街12号",
            "lng": 114.3051, "lat": 34.8101, "description": "门头牌匾一块", "requested_from": "2026-05-01",
            "requested_to": "2027-04-30", "materials": ["申请表", "营业执照"]}
    data.update(extra)
    return data


@time_machine.travel(at(2026, 4, 2), tick=False)
def test_the_counter_registers_and_the_leader_extends_once_over_the_api(city, body, api_client):
    officer = api_client(city["officer"])
    r = officer.post(URL, payload(), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["acceptance_due"].startswith("2026-04-10")
    r = officer.post(f"{URL}/{pk}/notice", {"missing_items": []}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "missing_items"
    r = officer.post(f"{URL}/{pk}/accept")
    assert r.status_code == 200 and r.json()["decision_due"].startswith("2026-05-06")
    r = officer.post(f"{URL}/{pk}/extend", {"reason": "需现场勘查"}, content_type="application/json")
    assert r.status_code == 403
    leader = api_client(city["leader"])
    r = leader.post(f"{URL}/{pk}/extend", {"reason": "需现场勘查"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["extended"] is True
    r = leader.post(f"{URL}/{pk}/extend", {"reason": "再延"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "extension"
    assert Application.objects.get(pk=pk).events.filter(act="extend").count() == 1


@pytest.mark.parametrize("field,value", [("kind", "billboard"), ("applicant_phone", "abc"), ("region", "999"),
                                         ("requested_to", "2026-01-01"), ("applicant_type", "robot"),
                                         ("zone", "NOPE")])
def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(city, body, api_client, field, value):
    r = api_client(city["officer"]).post(URL, payload(**{field: value}), content_type="application/json")
    assert r.status_code in (400, 422), r.content
    assert r.json()["field"] == field
    assert not Application.objects.exists()


def test_outsiders_see_and_do_nothing(city, body, api_client, submit):
    a = submit(at(2026, 4, 2))
    for who in ("outsider", "assistant", "department_handler", "nobody"):
        c = api_client(city[who])
        assert c.get(URL).status_code == 403
        assert c.post(URL, payload(), content_type="application/json").status_code == 403
        assert c.post(f"{URL}/{a.pk}/accept").status_code == 403
    # an officer of the other district: the application does not exist for them
    from chengguan.org.models import Role, RoleAssignment, User

    other = User.objects.create_user(username="officer_b")
    RoleAssignment.objects.create(user=other, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    c = api_client(other)
    assert c.get(f"{URL}/{a.pk}").status_code == 404
    assert c.post(f"{URL}/{a.pk}/accept").status_code == 404
    assert a.events.count() == 1 and Application.objects.count() == 1
    assert api_client(city["officer"]).get(f"{URL}/{a.pk}").status_code == 200  # positive control


def test_the_public_register_masks_natural_persons(city, body, client, submit, zone):
    person = submit(at(2026, 3, 2), kind="stall", zone=zone, applicant_type="person", applicant_name="王小二",
                    applicant_id_number="410202199001011234", requested_from=date(2026, 3, 2),
                    requested_to=date(2027, 3, 1))
    firm = submit(at(2026, 3, 2), requested_from=date(2026, 3, 2), requested_to=date(2027, 3, 1))
    for a in (person, firm):
        application_grant(actor=city["leader"], application=application_accept(
            actor=city["officer"], application=a, now=at(2026, 3, 2)), now=at(2026, 3, 3))
    with time_machine.travel(at(2026, 4, 1), tick=False):
        r = client.get(f"{URL}/register")
        page = client.get("/p/permits/").content.decode()
        zones = client.get(f"{URL}/zones").json()
    assert r.status_code == 200
    holders = {row["holder"] for row in r.json()}
    assert holders == {"王**", "开封鼓楼小吃店"}
    body_text = r.content.decode()
    for secret in ("王小二", "13900001111", "410202199001011234"):
        assert secret not in body_text and secret not in page
    assert "王**" in page
    assert zones[0]["occupied"] == 1 and zones[0]["free"] == 1


def test_the_check_finds_a_valid_permit_nearby_and_a_finding_without_one_becomes_a_clue(city, body, api_client,
                                                                                        submit):
    a = submit(at(2026, 3, 2), requested_from=date(2026, 3, 2), requested_to=date(2027, 3, 1))
    application_grant(actor=city["leader"], application=application_accept(
        actor=city["officer"], application=a, now=at(2026, 3, 2)), now=at(2026, 3, 3))
    officer = api_client(city["officer"])
    with time_machine.travel(at(2026, 4, 1), tick=False):
        near = officer.get(f"{URL}/check", {"kind": "shop_sign", "lng": 114.30512, "lat": 34.81012}).json()
        far = officer.get(f"{URL}/check", {"kind": "shop_sign", "lng": 114.31, "lat": 34.815}).json()
        assert near["covered"] is True and far["covered"] is False
        r = officer.post(f"{URL}/findings", {"kind": "shop_sign", "region": "410202001001", "lng": 114.31,
                                             "lat": 34.815, "address": "西门大街40号", "description": "无证门头"},
                         content_type="application/json")
        assert r.status_code == 201 and r.json()["covered_by"] is None
        fid = r.json()["id"]
        assert api_client(city["assistant"]).post(f"{URL}/findings/{fid}/clue").status_code in (403, 404)
        officer = api_client(city["officer"])  # one test client: the token follows the last persona
        r = officer.post(f"{URL}/findings/{fid}/clue")
        assert r.status_code == 200 and r.json()["clue"].startswith("汴城管线索")
        assert officer.post(f"{URL}/findings/{fid}/clue").status_code == 409
        covered = officer.post(f"{URL}/findings", {"kind": "shop_sign", "region": "410202001001",
                                                   "lng": 114.30512, "lat": 34.81012, "address": "西门大街12号",
                                                   "description": "门头"}, content_type="application/json").json()
        assert covered["covered_by"] == a.__class__.objects.get(pk=a.pk).permit_number
        r = officer.post(f"{URL}/findings/{covered['id']}/clue")
        assert r.status_code == 409 and r.json()["field"] == "permit"
