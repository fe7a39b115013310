"""Pages: officers work the case with forms (htmx or plain), outsiders get 404/403, the public pages need no
login and mask citizens' names."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from chengguan.enforcement.models import EnforcementCase
from chengguan.enforcement.privacy import mask_id_number, mask_name

from .conftest import at, to_notified


def test_the_case_list_shows_scope_and_deadline_warnings(walk, city, login):
    to_notified(walk)
    client = login(city["officer"])
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        page = client.get("/enforcement/")
    html = page.content.decode()
    assert page.status_code == 200 and walk.case.number in html
    assert "陈述申辩" in html or "statements" in html  # the rights deadline passes on 12 March
    for who, status in (("outsider", 403), ("nobody", 403)):
        assert login(city[who]).get("/enforcement/").status_code == status


def test_the_detail_page_offers_only_the_acts_the_user_may_do(walk, city, login):
    with time_machine.travel(at(2026, 3, 2, 9, 30), tick=False):
        officer_page = login(city["officer"]).get(f"/enforcement/cases/{walk.case.pk}/").content.decode()
        assistant_page = login(city["assistant"]).get(f"/enforcement/cases/{walk.case.pk}/").content.decode()
    assert 'id="act-propose_filing"' in officer_page and 'id="act-decide_on_the_spot"' in officer_page
    assert 'id="act-propose_filing"' not in assistant_page
    for who in ("outsider", "nobody", "supervisor"):
        assert login(city[who]).get(f"/enforcement/cases/{walk.case.pk}/").status_code == 404


def test_an_act_through_the_page_plain_and_htmx(walk, city, login):
    client = login(city["officer"])
    url = f"/enforcement/cases/{walk.case.pk}/acts/propose_filing/"
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        bad = client.post(url, {"opinion": "建议立案", "co_officer": city["assistant"].pk}, HTTP_HX_REQUEST="true")
        assert bad.status_code == 403 and "第二名执法人员是协管员，不得执法" in bad.content.decode()
        assert 'id="act-propose_filing"' in bad.content.decode()
        missing = client.post(url, {"opinion": ""})
        assert missing.status_code == 422 and "field-error" in missing.content.decode()
        ok = client.post(url, {"opinion": "建议立案", "co_officer": city["officer2"].pk}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 204 and ok["HX-Redirect"] == f"/enforcement/cases/{walk.case.pk}/"
    assert EnforcementCase.objects.get(pk=walk.case.pk).state == "pending_filing"
    assert login(city["outsider"]).post(url, {"opinion": "x"}).status_code == 404


def test_conclusion_form_with_checkbox_groups(walk, city, login):
    from .conftest import to_investigating

    to_investigating(walk)
    client = login(city["officer"])
    with time_machine.travel(at(2026, 3, 4, 9), tick=False):
        page = client.get(f"/enforcement/cases/{walk.case.pk}/?act=conclude_investigation").content.decode()
        assert 'name="factors" value="repeat"' in page and 'name="penalty_kinds" value="fine"' in page
        response = client.post(f"/enforcement/cases/{walk.case.pk}/acts/conclude_investigation/", {
            "outcome": "penalty", "penalty_kinds": ["fine"], "fine_amount": "9000", "area_m2": "30", "harm": "minor",
            "factors": ["repeat"], "report": "事实清楚"})
    assert response.status_code == 302
    case = EnforcementCase.objects.get(pk=walk.case.pk)
    assert case.suggested_level == "serious" and case.discretion_facts["factors"] == ["repeat"]


def test_documents_and_evidence_downloads_are_scoped(walk, city, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    to_notified(walk)
    doc = walk.case.documents.first()
    assert login(city["officer"]).get(f"/enforcement/cases/{walk.case.pk}/documents/{doc.pk}/").status_code == 200
    assert login(city["outsider"]).get(f"/enforcement/cases/{walk.case.pk}/documents/{doc.pk}/").status_code == 404
    client = login(city["officer"])
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        client.post(f"/enforcement/cases/{walk.case.pk}/evidence/", {
            "kind": "audiovisual", "description": "执法记录仪视频",
            "file": SimpleUploadedFile("clip.mp4", b"\x00\x00video", content_type="video/mp4")})
    evidence = walk.case.evidence.get(description="执法记录仪视频")
    assert evidence.media == "video"
    assert client.get(f"/enforcement/cases/{walk.case.pk}/evidence/{evidence.pk}/").status_code == 200
    assert login(city["outsider"]).get(f"/enforcement/cases/{walk.case.pk}/evidence/{evidence.pk}/").status_code == 404


def test_queues_and_reports_by_role(walk, city, login):
    to_notified(walk)
    assert login(city["legal_reviewer"]).get("/enforcement/review/").status_code == 200
    assert login(city["leader"]).get("/enforcement/approvals/").status_code == 200
    assert login(city["leader"]).get("/enforcement/reports/idle/").status_code == 200
    assert login(city["officer"]).get("/enforcement/approvals/").status_code == 403
    assert login(city["outsider"]).get("/enforcement/review/").status_code == 403
    assert login(city["officer"]).get("/enforcement/powers/powers.csv").status_code == 200
    assert login(city["officer"]).get("/enforcement/powers/").status_code == 403


def test_public_pages_need_no_login_and_mask_citizens(client, walk, city):
    to_notified(walk)
    EnforcementCase.objects.filter(pk=walk.case.pk).update(party_type="person", party_name="王小明")
    walk.do("record_statement", "officer", at(2026, 3, 6), waived=True)
    walk.do("decide", "leader", at(2026, 3, 9))
    walk.do("disclose", "officer", at(2026, 3, 10))
    listing = client.get("/enforcement/public/decisions/").content.decode()
    assert walk.case.decision_number in listing and "王**" in listing and "王小明" not in listing
    detail = client.get(f"/enforcement/public/decisions/{walk.case.pk}/").content.decode()
    assert "王**" in detail and "王小明" not in detail
    powers = client.get("/enforcement/public/powers/", {"q": "道路"}).content.decode()
    assert "擅自占用或者挖掘城市道路" in powers
    detail = client.get("/enforcement/public/powers/CG-CF-026/").content.decode()
    assert "2000.00–8000.00" in detail
    walk.do("withdraw_disclosure", "leader", at(2026, 3, 11), reason="复议撤销", changed_on="2026-03-11")
    assert client.get(f"/enforcement/public/decisions/{walk.case.pk}/").status_code == 404
    assert client.get(f"/enforcement/public/decisions/{walk.case.pk + 99}/").status_code == 404


def test_clue_registration_page(city, body, items, login):
    client = login(city["assistant"])
    assert client.get("/enforcement/clues/new/").status_code == 200
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        response = client.post("/enforcement/clues/new/", {
            "source": "patrol", "title": "占道经营", "region": city.community_a1.pk, "department": city.brigade_a.pk,
            "party_type": "person", "party_name": "摊主", "violation_date": "2026-03-02"})
    assert response.status_code == 302
    clue = EnforcementCase.objects.get()
    assert clue.registered_by == city["assistant"]
    detail = login(city["officer"]).get(f"/enforcement/cases/{clue.pk}/").content.decode()
    subtitle = detail.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert "程序待定" in subtitle and "普通程序" not in subtitle  # a clue has no procedure chosen yet
    bad = client.post("/enforcement/clues/new/", {"source": "patrol", "title": "", "region": city.community_a1.pk,
                                                  "department": city.brigade_a.pk})
    assert bad.status_code == 400
    assert login(city["legal_reviewer"]).get("/enforcement/clues/new/").status_code == 403


def test_mask_helpers():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧阳**"
    assert mask_name("Zhang San") == "Z**** S**"
    assert mask_name("") == ""
    assert mask_id_number("410202199001011234") == "410202********1234"


def test_admin_pages_and_template_upload_validation(walk, city, login, settings, tmp_path):
    import io

    from chengguan.enforcement.docxgen import build
    from chengguan.enforcement.models import DocumentTemplate

    settings.MEDIA_ROOT = tmp_path
    to_notified(walk)
    client = login(city["admin"])
    for model in ("poweritem", "discretionbenchmark", "enforcementcase", "caseevent", "auditrecord",
                  "documenttemplate", "casedocument", "enforcementbody", "discretionfactor"):
        assert client.get(f"/admin/enforcement/{model}/").status_code == 200, model
    assert client.get(f"/admin/enforcement/enforcementcase/{walk.case.pk}/change/").status_code == 200
    bad = client.post("/admin/enforcement/documenttemplate/add/", {
        "kind": "decision", "is_active": "on", "file": SimpleUploadedFile("x.docx", b"not a docx")})
    assert bad.status_code == 200 and not DocumentTemplate.objects.exists()
    out = io.BytesIO()
    build("decision").save(out)
    ok = client.post("/admin/enforcement/documenttemplate/add/", {
        "kind": "decision", "is_active": "on", "file": SimpleUploadedFile("d.docx", out.getvalue())})
    assert ok.status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.uploaded_by == city["admin"] and len(template.sha256) == 64


def test_the_suggestion_follows_the_facts_being_entered(walk, city, login, api_client):
    client = login(city["officer"])
    url = f"/enforcement/cases/{walk.case.pk}/suggestion/"
    html = client.get(url, {"area_m2": "60", "harm": "minor"}).content.decode()
    assert "较重" in html and "8000" in html and "15000" in html
    html = client.get(url, {"area_m2": "60", "harm": "none", "corrected": "on"}).content.decode()
    assert "不予处罚" in html
    assert "须为数字" in client.get(url, {"area_m2": "lots"}).content.decode()
    assert login(city["outsider"]).get(url).status_code == 404
    body = api_client(city["officer"]).post(f"/api/v1/enforcement/cases/{walk.case.pk}/suggestion",
                                            {"area_m2": 30, "factors": ["repeat"]}, content_type="application/json")
    assert body.json()["level"] == "serious" and body.json()["amount_max"] == "15000"


def test_a_clue_keeps_the_point_picked_on_the_map_and_its_page_draws_it(city, body, items, login):
    client = login(city["assistant"])
    form = {"source": "patrol", "title": "占道经营", "region": city.community_a1.pk, "department": city.brigade_a.pk,
            "place": "顺河回族区夷山大街201号"}
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        bad = client.post("/enforcement/clues/new/", {**form, "lng": "east", "lat": "34.8"})
        assert bad.status_code == 400 and not EnforcementCase.objects.exists()  # a bad point writes nothing
        assert client.post("/enforcement/clues/new/", {**form, "lng": "114.325", "lat": "34.8125"}).status_code == 302
        assert client.post("/enforcement/clues/new/", {**form, "title": "无点位"}).status_code == 302
    clue, without = EnforcementCase.objects.order_by("pk")
    assert (clue.lng, clue.lat) == (114.325, 34.8125) and without.lng is None
    page = login(city["officer"]).get(f"/enforcement/cases/{clue.pk}/").content.decode()
    assert "data-place-map" in page and "114.325" in page and "geo/placemap.js" in page
    other = login(city["officer"]).get(f"/enforcement/cases/{without.pk}/").content.decode()
    assert "data-place-map" not in other  # no point, no empty map
    assert login(city["outsider"]).get(f"/enforcement/cases/{clue.pk}/").status_code in (403, 404)
