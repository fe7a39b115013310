"""/api/v1/complaints: scope, roles, errors naming the field."""

from django.test import Client

from chengguan.oversight.services import complaint_receive


def _api(user):
    c = Client()
    c.force_login(user)
    return c


def test_complaints_api_scope_and_errors(city):
    c = complaint_receive(actor=city["supervisor"], channel="supervisor", region=city.district_a, conduct="rude",
                          text="x", phone="13800000000")
    leader = _api(city["leader"])
    listed = leader.get("/api/v1/complaints")
    assert listed.status_code == 200 and [x["number"] for x in listed.json()] == [c.number]
    assert _api(city["outsider"]).get(f"/api/v1/complaints/{c.pk}").status_code == 404
    assert _api(city["outsider"]).get("/api/v1/complaints").json() == []
    assert _api(city["nobody"]).get("/api/v1/complaints").status_code == 403
    assert _api(city["officer"]).get("/api/v1/complaints").status_code == 403
    created = _api(city["operator"]).post("/api/v1/complaints", {
        "channel": "hotline", "region_id": city.district_a.pk, "conduct": "abuse", "text": "乱罚款",
        "phone": "13900000000"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "received"
    bad = _api(city["operator"]).post("/api/v1/complaints", {
        "channel": "hotline", "region_id": city.district_a.pk, "conduct": "abuse", "text": "乱罚款",
        "phone": "12"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "phone"
    pk = created.json()["id"]
    assigned = leader.post(f"/api/v1/complaints/{pk}/assign", {"investigator_id": city["legal_reviewer"].pk,
                                                               "officer_id": city["officer"].pk},
                           content_type="application/json")
    assert assigned.status_code == 200 and assigned.json()["officer_id"] == city["officer"].pk
    wrong = leader.post(f"/api/v1/complaints/{pk}/investigate", {"findings": "x"}, content_type="application/json")
    assert wrong.status_code == 403
    ok = _api(city["legal_reviewer"]).post(f"/api/v1/complaints/{pk}/investigate", {"findings": "核实"},
                                           content_type="application/json")
    assert ok.json()["state"] == "investigated"
    early = leader.post(f"/api/v1/complaints/{pk}/reply", {"text": "x"}, content_type="application/json")
    assert early.status_code == 409
    schema = leader.get("/api/v1/openapi.json").json()
    assert "/api/v1/complaints" in schema["paths"]
