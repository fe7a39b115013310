"""The JSON API: scope (404 outside), acts by name with field-naming errors, evidence, documents, public lists."""

import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from chengguan.enforcement.models import AuditRecord
from chengguan.enforcement.services.powers import power_list_import

from .conftest import at, to_investigating

BASE = "/api/v1/enforcement"


def test_it_lists_and_shows_cases_in_scope_only(clue, city, api_client):
    client = api_client(city["officer"])
    body = client.get(f"{BASE}/cases").json()
    assert [c["clue_number"] for c in body] == [clue.clue_number]
    detail = client.get(f"{BASE}/cases/{clue.pk}").json()
    assert detail["state"] == "clue" and "propose_filing" in detail["acts"] and "approve_filing" not in detail["acts"]
    assert detail["events"][0]["act"] == "register_clue"
    for who in ("outsider", "nobody", "supervisor"):
        other = api_client(city[who])
        assert other.get(f"{BASE}/cases").json() == []
        response = other.get(f"{BASE}/cases/{clue.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert other.post(f"{BASE}/cases/{clue.pk}/acts/dismiss_clue", {"reason": "x", "resolution": "service"},
                          content_type="application/json").status_code == 404


def test_it_requires_authentication(client, clue):
    assert client.get(f"{BASE}/cases").status_code == 401


def test_acts_by_name_with_errors_naming_the_field(clue, city, api_client):
    client = api_client(city["officer"])
    url = f"{BASE}/cases/{clue.pk}/acts/propose_filing"
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        missing = client.post(url, {"opinion": "建议立案"}, content_type="application/json")
        assert missing.status_code == 422 and missing.json()["field"] == "co_officer"
        assert missing.json()["detail"] == "请填写第二名持证执法人员"  # Chinese unless the client asks otherwise
        english = client.post(url, {"opinion": "x"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert english.json()["detail"] == "second certified officer is required"
        unknown = client.post(url, {"opinion": "x", "co_officer": city["officer2"].pk, "colour": "red"},
                              content_type="application/json")
        assert unknown.status_code == 422 and unknown.json()["field"] == "colour"
        bad_user = client.post(url, {"opinion": "x", "co_officer": 999999}, content_type="application/json")
        assert bad_user.json()["field"] == "co_officer"
        assistant = client.post(url, {"opinion": "x", "co_officer": city["assistant"].pk},
                                content_type="application/json")
        assert assistant.status_code == 403 and assistant.json()["code"] == "assistant_not_allowed"
        ok = client.post(url, {"opinion": "建议立案", "co_officer": city["officer2"].pk},
                         content_type="application/json")
        assert ok.status_code == 200 and ok.json()["state"] == "pending_filing"
        again = client.post(url, {"opinion": "x", "co_officer": city["officer2"].pk}, content_type="application/json")
        assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
        nope = client.post(f"{BASE}/cases/{clue.pk}/acts/teleport", {}, content_type="application/json")
        assert nope.status_code == 404 and nope.json()["field"] == "act"
    leader = api_client(city["leader"])
    with time_machine.travel(at(2026, 3, 2, 14), tick=False):
        approved = leader.post(f"{BASE}/cases/{clue.pk}/acts/approve_filing", {}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["number"] == "汴城管立字〔2026〕第0001号"
    doc = approved.json()["documents"][0]
    download = leader.get(f"{BASE}/cases/{clue.pk}/documents/{doc['id']}")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert api_client(city["outsider"]).get(f"{BASE}/cases/{clue.pk}/documents/{doc['id']}").status_code == 404


def test_it_registers_clues_and_takes_evidence_with_its_hash(city, body, items, api_client, walk):
    client = api_client(city["assistant"])
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        response = client.post(f"{BASE}/cases", {"region_id": city.community_a1.pk, "department_id": city.brigade_a.pk,
                                                 "source": "complaint", "title": "夜间施工噪声"},
                               content_type="application/json")
        assert response.status_code == 201
        case_id = response.json()["id"]
        bad = client.post(f"{BASE}/cases", {"region_id": city.community_a1.pk, "department_id": city.brigade_a.pk,
                                            "source": "rumour", "title": "x"}, content_type="application/json")
        assert bad.status_code == 422 and bad.json()["field"] == "source"
        photo = SimpleUploadedFile("scene.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
        uploaded = client.post(f"{BASE}/cases/{case_id}/evidence", {"kind": "audiovisual", "description": "现场照片",
                                                                    "file": photo})
    assert uploaded.status_code == 201
    import hashlib

    assert uploaded.json()["sha256"] == hashlib.sha256(b"\xff\xd8\xff photo").hexdigest()
    record = AuditRecord.objects.get(seq=uploaded.json()["audit_seq"])
    assert record.files[0]["sha256"] == uploaded.json()["sha256"]
    outsider = api_client(city["outsider"])
    photo = SimpleUploadedFile("x.jpg", io.BytesIO(b"x").read(), content_type="image/jpeg")
    assert outsider.post(f"{BASE}/cases/{case_id}/evidence", {"kind": "audiovisual", "description": "x",
                                                              "file": photo}).status_code == 404
    to_investigating(walk)
    with time_machine.travel(at(2026, 3, 4), tick=False):
        script = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
        refused = api_client(city["officer"]).post(f"{BASE}/cases/{walk.case.pk}/evidence",
                                                   {"kind": "electronic", "description": "x", "file": script})
    assert refused.status_code == 422 and refused.json()["field"] == "file"


def test_public_power_list_and_decisions_need_no_login(client, city):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "data" / "penalty_catalogue_sample.csv"
    power_list_import(actor=city["admin"], source=sample.read_bytes())
    powers = client.get(f"{BASE}/powers", {"q": "城市道路"}).json()
    assert powers and all("道路" in p["name"] + p["legal_basis"] + p["law"] for p in powers)
    assert client.get(f"{BASE}/powers/CG-CF-026").json()["article"] == "第42条"
    assert client.get(f"{BASE}/powers/NOPE").status_code == 404
    assert client.get(f"{BASE}/decisions").json() == []


def test_the_act_catalogue_and_721_feed(clue, city, api_client):
    client = api_client(city["leader"])
    acts = client.get(f"{BASE}/acts").json()
    assert {a["code"] for a in acts} >= {"decide", "serve", "report_crime"}
    with time_machine.travel(at(2026, 3, 2, 11), tick=False):
        client_o = api_client(city["officer"])
        client_o.post(f"{BASE}/cases/{clue.pk}/acts/dismiss_clue", {"reason": "已劝导改正", "resolution": "service"},
                      content_type="application/json")
    stats = client.get(f"{BASE}/stats/721", {"start": "2026-03-01", "end": "2026-04-01"}).json()
    assert stats["counts"] == {"service": 1, "management": 0, "enforcement": 0}


def test_an_assistant_hears_not_allowed_before_any_missing_parameter(clue, city, api_client):
    """Permission first (issue 17 item 8): the assistant's empty request answers 403, not 422; an officer's
    empty request still names the missing field."""
    url = f"{BASE}/cases/{clue.pk}/acts/propose_filing"
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        refused = api_client(city["assistant"]).post(url, {}, content_type="application/json")
        assert refused.status_code == 403, refused.content
        missing = api_client(city["officer"]).post(url, {}, content_type="application/json")
        assert missing.status_code == 422
