"""Pages: a citizen applies on the portal, follows with number and phone and hands in what the one-time notice
asked for; the counter, the queue and an application's page for handlers; outsiders are refused."""

from datetime import date

import time_machine

from chengguan.permits.models import Application
from chengguan.permits.services import application_accept, application_grant, application_notice

from .conftest import at


def form(city, **extra):
    data = {"kind": "shop_sign", "region": city.street_a.pk, "applicant_type": "person", "applicant_name": "张三",
            "applicant_phone": "13900002222", "address": "北道门街3号", "description": "门头牌匾",
            "requested_from": "2026-05-01", "requested_to": "2027-04-30", "materials": "申请表\n身份证"}
    data.update(extra)
    return data


@time_machine.travel(at(2026, 4, 2), tick=False)
def test_a_citizen_applies_follows_and_hands_in_the_missing_items(city, body, client):
    r = client.get("/p/permits/apply/")
    assert r.status_code == 200 and "申请" in r.content.decode()
    r = client.post("/p/permits/apply/", form(city, requested_to="2026-01-01"))
    assert r.status_code == 400 and not Application.objects.exists()
    r = client.post("/p/permits/apply/", form(city))
    a = Application.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/p/permits/{a.number}/")
    assert a.channel == "online" and a.submitted_by is None and a.materials == ["申请表", "身份证"]
    application_notice(actor=city["officer"], application=a, missing_items=["门头效果图"], now=at(2026, 4, 2))

    other = client.__class__()
    r = other.get(f"/p/permits/{a.number}/")
    assert r.status_code == 302  # another device proves the phone first
    r = other.post("/p/permits/follow/", {"number": a.number, "phone": "13900009999"})
    assert r.status_code == 400 and "门头效果图" not in r.content.decode()
    r = other.post("/p/permits/follow/", {"number": a.number, "phone": "139 0000 2222"})
    assert r.status_code == 302
    page = other.get(f"/p/permits/{a.number}/").content.decode()
    assert "门头效果图" in page and "一次性告知" in page
    r = other.post(f"/p/permits/{a.number}/", {"materials": "门头效果图"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "submitted" and "门头效果图" in a.materials


@time_machine.travel(at(2026, 4, 2), tick=False)
def test_the_counter_and_the_application_page(city, body, login, submit):
    c = login(city["officer"])
    r = c.post("/permits/new/", form(city, applicant_phone=""))
    assert r.status_code == 400 and not Application.objects.exists()
    r = c.post("/permits/new/", form(city))
    a = Application.objects.get()
    assert r.status_code == 302 and a.channel == "counter" and a.submitted_by == city["officer"]
    page = c.get(f"/permits/{a.pk}/").content.decode()
    assert a.number in page and "受理" in page
    assert c.post(f"/permits/{a.pk}/accept").status_code == 302
    a.refresh_from_db()
    assert a.status == "accepted"
    listing = c.get("/permits/").content.decode()
    assert a.number in listing
    c.post(f"/permits/{a.pk}/extend", {"reason": "x"})  # an officer may not: a message, nothing written
    a.refresh_from_db()
    assert a.extended_at is None
    leader = login(city["leader"])
    leader.post(f"/permits/{a.pk}/grant", {"valid_from": "2026-05-01", "valid_to": "2027-04-30"})
    a.refresh_from_db()
    assert a.status == "granted"
    r = leader.get(f"/permits/{a.pk}/permit.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_outsiders_get_no_permit_pages(city, body, login, submit):
    a = submit(at(2026, 4, 2))
    for who in ("outsider", "supervisor", "department_handler", "nobody"):
        c = login(city[who])
        for url in ("/permits/", "/permits/new/", f"/permits/{a.pk}/", "/permits/zones/", "/permits/check/"):
            assert c.get(url).status_code == 403, (who, url)
        assert c.post(f"/permits/{a.pk}/accept").status_code == 403
    a.refresh_from_db()
    assert a.status == "submitted"
    assert login(city["officer"]).get(f"/permits/{a.pk}/").status_code == 200  # positive control


def test_the_patrol_check_page_records_a_finding_for_an_assistant(city, body, login, submit):
    c = login(city["assistant"])
    r = c.post("/permits/check/", {"kind": "stall", "region": city.street_a.pk, "lng": 114.306, "lat": 34.81,
                                   "address": "西门大街口", "description": "占道摊点"})
    assert r.status_code == 302
    from chengguan.permits.models import Finding

    f = Finding.objects.get()
    assert f.found_by == city["assistant"] and f.permit is None
    # an assistant cannot open the clue
    assert c.post(f"/permits/findings/{f.pk}/clue").status_code == 403
    assert Finding.objects.get().clue is None


def test_register_map_data_carries_no_personal_data(city, body, client, submit):
    a = submit(at(2026, 3, 2), applicant_type="person", applicant_name="赵六", requested_from=date(2026, 3, 2))
    application_grant(actor=city["leader"], application=application_accept(actor=city["officer"], application=a,
                                                                            now=at(2026, 3, 2)), now=at(2026, 3, 3))
    with time_machine.travel(at(2026, 4, 1), tick=False):
        text = client.get("/permits/register.geojson").content.decode()
    assert "赵*" in text and "赵六" not in text and "13900001111" not in text
