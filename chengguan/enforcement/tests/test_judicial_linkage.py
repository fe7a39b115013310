"""Judicial linkage that closes: an overdue police reply escalates (leader notice + procuratorate record), the
police liaison sees and answers only the referrals addressed to its unit, briefings, the referral package."""

import io
import json
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chengguan.cases.models import Notification
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.models import CaseEvent, CriminalReferral, ProcuratorateRecord
from chengguan.enforcement.referral_package import FORMAT, build_package
from chengguan.enforcement.services import evidence_add
from chengguan.enforcement.services.linkage import (
    briefing_acknowledge,
    case_brief,
    police_briefings,
    police_referrals,
    procuratorate_record_add,
    referral_police_reply,
    run_escalations,
)
from chengguan.org.models import Department, Role, RoleAssignment, User

from .conftest import at, to_investigating


@pytest.fixture
def police(city):
    unit = Department.objects.create(code="GA-LT", name="开封市公安局龙亭分局", kind="police", region=city.district_a)
    other = Department.objects.create(code="GA-SH", name="开封市公安局顺河分局", kind="police", region=city.district_b)
    out = {}
    for name, dept in (("police", unit), ("police2", other)):
        user = User.objects.create_user(username=name, password="pw", full_name=name)
        RoleAssignment.objects.create(user=user, role=Role.POLICE, department=dept)
        out[name] = user
    out["unit"], out["other"] = unit, other
    return out


def _referred(walk, police, when=at(2026, 3, 4, 9)):
    to_investigating(walk)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        evidence_add(actor=walk.city["officer"], case=walk.case, kind="audiovisual", description="现场照片",
                     file=SimpleUploadedFile("site.jpg", b"\xff\xd8photo-bytes", content_type="image/jpeg"))
    walk.do("report_crime", "officer", at(2026, 3, 3, 11), co_officer=walk.co(), offence="污染环境罪",
            report="倾倒危险废物约3吨，涉嫌污染环境罪。")
    walk.do("decide_referral", "leader", at(2026, 3, 3, 15), approve=True)
    walk.do("hand_over", "officer", when, police_unit="开封市公安局龙亭分局")
    return CriminalReferral.objects.get(case=walk.case)


def test_an_overdue_police_reply_escalates_to_the_leader_and_the_procuratorate_once(walk, city, police, body):
    body.procuratorate = "开封市龙亭区人民检察院"
    body.save()
    referral = _referred(walk, police)
    assert referral.police_department == police["unit"]  # the named unit has a liaison account
    assert run_escalations(now=at(2026, 3, 9, 9)) == 0  # due at the end of Monday 9 March (7th is a Saturday)
    assert run_escalations(now=at(2026, 3, 10, 8, 10)) == 1
    referral.refresh_from_db()
    assert referral.escalated_at == at(2026, 3, 10, 8, 10)
    record = ProcuratorateRecord.objects.get(referral=referral)
    assert (record.kind, record.procuratorate, record.dated) == ("copy", "开封市龙亭区人民检察院", date(2026, 3, 10))
    assert record.document_number == "汴城管检抄字〔2026〕第0001号"
    notice = Notification.objects.get(user=city["leader"], key=f"referral-escalated:{referral.pk}")
    assert "开封市龙亭区人民检察院" in notice.text and record.document_number in notice.text
    assert not Notification.objects.filter(user=city["outsider"], key__startswith="referral-escalated").exists()
    assert run_escalations(now=at(2026, 3, 11, 8, 10)) == 0  # once
    assert ProcuratorateRecord.objects.count() == 1
    # the procuratorate's own act, recorded by the leader with its date and document number
    procuratorate_record_add(actor=city["leader"], referral=referral, kind="supervision",
                             procuratorate="开封市龙亭区人民检察院", dated=date(2026, 3, 12),
                             document_number="龙检立监〔2026〕3号", now=at(2026, 3, 12, 10))
    with pytest.raises(PermissionDenied):
        procuratorate_record_add(actor=city["outsider"], referral=referral, kind="supervision",
                                 procuratorate="x", dated=date(2026, 3, 12), document_number="x")
    with pytest.raises(ValidationError) as err:
        procuratorate_record_add(actor=city["leader"], referral=referral, kind="opinion", procuratorate="x",
                                 dated=date(2026, 3, 12), document_number=" ", now=at(2026, 3, 12, 10))
    assert err.value.field == "document_number"
    assert audit_verify().ok


def test_the_police_liaison_sees_and_answers_only_its_own_referrals(walk, city, police):
    referral = _referred(walk, police)
    assert list(police_referrals(police["police"])) == [referral]
    assert list(police_referrals(police["police2"])) == []  # another police unit
    assert list(police_referrals(city["officer"])) == []  # police role only
    mine, theirs = Client(), Client()
    mine.force_login(police["police"])
    theirs.force_login(police["police2"])
    page = mine.get("/enforcement/police/").content.decode()
    assert walk.case.number in page
    assert walk.case.number not in theirs.get("/enforcement/police/").content.decode()
    assert theirs.get(f"/enforcement/police/referrals/{referral.pk}/").status_code == 404
    assert mine.get(f"/enforcement/police/referrals/{referral.pk}/").status_code == 200
    # nothing else of the enforcement app: the case page and the register are closed to the police role
    assert mine.get(f"/enforcement/cases/{walk.case.pk}/").status_code == 404
    assert walk.case.number not in mine.get("/enforcement/").content.decode()
    outsider = Client()
    outsider.force_login(city["outsider"])
    assert outsider.get("/enforcement/police/").status_code == 403
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        response = mine.post(f"/enforcement/police/referrals/{referral.pk}/", {"do": "acknowledge"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.acknowledged_by == police["police"]
    with pytest.raises(Exception) as denied:
        referral_police_reply(actor=police["police2"], referral=referral, accepted=True, text="x")
    assert denied.type.__name__ == "Http404"
    with time_machine.travel(at(2026, 3, 6, 10), tick=False):
        case = referral_police_reply(actor=police["police"], referral=referral, accepted=False,
                                     text="不符合立案追诉标准，不予立案（龙公不立字〔2026〕5号）")
    assert case.state == "investigating"  # back to the penalty path (第10条)
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.act, event.actor, event.actor_role) == ("record_police_reply", police["police"], "police")
    assert audit_verify().ok


def test_case_briefing_reaches_its_police_unit_and_not_another(walk, city, police):
    to_investigating(walk)
    briefing = case_brief(actor=city["officer"], case=walk.case, police_department=police["unit"],
                          court="开封市龙亭区人民法院", subject="暴力抗法线索", text="当事人阻碍执法，请派员协助。")
    assert briefing.number.startswith("汴城管通报字〔")
    assert list(police_briefings(police["police"])) == [briefing]
    assert list(police_briefings(police["police2"])) == []
    with pytest.raises(PermissionDenied):
        case_brief(actor=city["outsider"], case=walk.case, police_department=police["unit"], subject="x", text="x")
    with pytest.raises(ValidationError):
        case_brief(actor=city["officer"], case=walk.case, subject="x", text="x")  # no recipient
    with pytest.raises(Exception) as err:
        briefing_acknowledge(actor=police["police2"], briefing=briefing)
    assert err.type.__name__ == "Http404"
    assert briefing_acknowledge(actor=police["police"], briefing=briefing).acknowledged_at is not None


def test_the_referral_package_holds_the_case_file_and_evidence_hashes(walk, city, police):
    referral = _referred(walk, police)
    data = build_package(referral, pdf=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(z.read("manifest.json"))
    body = json.loads(z.read("referral.json"))
    assert manifest["format"] == body["format"] == FORMAT
    assert body["referral"]["offence"] == "污染环境罪"
    (item,) = [e for e in body["evidence"] if e["file"]]
    assert len(item["sha256"]) == 64 and item["file_matches"] is True
    assert z.read(item["file"]) == b"\xff\xd8photo-bytes"
    assert set(manifest["files"]) == set(z.namelist()) - {"manifest.json"}
    assert "case-file.docx" in z.namelist() and any(d["kind"] == "referral_letter" for d in body["documents"])
    url = f"/enforcement/referrals/{referral.pk}/package.zip"
    for user, status in ((city["outsider"], 404), (police["police2"], 404), (city["nobody"], 404)):
        c = Client()
        c.force_login(user)
        assert c.get(url).status_code == status


def test_the_referral_package_pdf_is_rendered_by_libreoffice(walk, city, police):
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    referral = _referred(walk, police)
    c = Client()
    c.force_login(police["police"])
    response = c.get(f"/enforcement/referrals/{referral.pk}/package.zip")
    assert response.status_code == 200
    z = zipfile.ZipFile(io.BytesIO(response.content))
    assert z.read("case-file.pdf").startswith(b"%PDF")
    assert json.loads(z.read("manifest.json"))["pdf"] == "case-file.pdf"


def test_police_member_of_a_joint_squad(city, police):
    from chengguan.patrol.services.squads import squad_create, squad_member_add

    squad = squad_create(actor=city["leader"], code="LH-01", name="龙亭联勤一队", region=city.district_a)
    member = squad_member_add(actor=city["leader"], squad=squad, user=police["police"], joined_on=date(2026, 3, 1),
                              body="police", organisation=police["unit"], is_leader=True)
    assert member.body == "police" and member.is_leader
    with pytest.raises(PermissionDenied):
        squad_member_add(actor=city["outsider"], squad=squad, user=police["police2"], joined_on=date(2026, 3, 1),
                         body="police")


def test_an_assistant_without_a_valid_work_permit_is_not_put_on_a_case(city, body, items, clue):
    from chengguan.enforcement.services import case_register_clue

    fresh = User.objects.create_user(username="assistant2", password="pw")
    RoleAssignment.objects.create(user=fresh, role=Role.ASSISTANT, region=city.district_a,
                                  department=city.brigade_a)
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        with pytest.raises(PermissionDenied) as err:
            case_register_clue(actor=fresh, region=city.community_a1, department=city.brigade_a, source="patrol",
                               title="占道经营")
        assert err.value.code == "no_work_permit"
        with pytest.raises(PermissionDenied) as err:
            evidence_add(actor=fresh, case=clue, kind="audiovisual", description="照片")
        assert err.value.code == "no_work_permit"
        # the assistant who holds a permit may (positive control)
        ok = case_register_clue(actor=city["assistant"], region=city.community_a1, department=city.brigade_a,
                                source="patrol", title="占道经营")
        assert ok.registered_by == city["assistant"]


def test_the_administrator_reads_the_police_page_but_answers_nothing(walk, city, police):
    referral = _referred(walk, police)
    admin = Client()
    admin.force_login(city["admin"])
    assert walk.case.number in admin.get("/enforcement/police/").content.decode()
    with pytest.raises(PermissionDenied):
        referral_police_reply(actor=city["admin"], referral=referral, accepted=True, text="x")
    referral.refresh_from_db()
    assert referral.replied_at is None
