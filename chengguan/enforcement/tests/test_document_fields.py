"""Every act that produces a document refuses while a field the document prints is missing: the API answers 422
naming the field, the page shows a Chinese message naming it, nothing is written (no document, no number, no state
change); with the field filled in, the same act goes through (positive control)."""

import pytest
import time_machine

from chengguan.enforcement.models import CaseDocument, DocumentCounter, EnforcementBody, EnforcementCase
from chengguan.enforcement.needs import ACT_DOCUMENTS, DOCUMENT_NEEDS, check_act, missing

from .conftest import at, to_investigating, to_notified


def _investigating(walk):
    to_investigating(walk)


def _pending(walk):
    walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="建议立案。")


def _investigated(walk):
    to_investigating(walk)
    walk.do("conclude_investigation", "officer", at(2026, 3, 4, 9), outcome="penalty", penalty_kinds=["fine"],
            fine_amount="5000", area_m2="30", harm="minor", report="事实清楚，证据确凿。")


def _ready_to_decide(walk):
    to_notified(walk)
    walk.do("record_statement", "officer", at(2026, 3, 6, 9), waived=True)


def _decided(walk):
    _ready_to_decide(walk)
    walk.do("decide", "leader", at(2026, 3, 13, 9))


def _served(walk):
    _decided(walk)
    walk.do("serve", "officer", at(2026, 3, 13, 15), method="direct", recipient="张某")


def _performed(walk):
    _served(walk)
    walk.do("disclose", "officer", at(2026, 3, 16, 9))
    walk.do("record_payment", "officer", at(2026, 3, 20, 9), amount="5000", paid_on="2026-03-19", channel="bank",
            receipt_number="GH0001")


def _referral_approved(walk):
    to_investigating(walk)
    walk.do("report_crime", "officer", at(2026, 3, 3, 9), co_officer=walk.co(), offence="污染环境罪", report="数量巨大")
    walk.do("decide_referral", "leader", at(2026, 3, 4, 9), approve=True)


def _seizure_approved(walk):
    to_investigating(walk)
    walk.do("request_seizure", "officer", at(2026, 3, 3, 10), kind="seize", reason="堆放物阻碍通行",
            items="钢管 10 根")
    walk.do("approve_seizure", "leader", at(2026, 3, 3, 11), measure=walk.case.measures.get().pk, approve=True)


CO = "co"
# act, who, when, setup, the field blanked (on the case, or the body for court/review authority), act data
CASES = [
    ("propose_filing", "officer", at(2026, 3, 2, 10), None, "party_address", {"co_officer": CO, "opinion": "建议立案"}),
    ("approve_filing", "leader", at(2026, 3, 2, 14), _pending, "party_id_number", {"opinion": "同意"}),
    ("decide_on_the_spot", "officer", at(2026, 3, 2, 10), None, "party_id_number",
     {"co_officer": CO, "penalty": "warning"}),
    ("order_correction", "officer", at(2026, 3, 3, 10), _investigating, "place",
     {"co_officer": CO, "requirement": "清除堆放物", "correct_by": "2026-03-10"}),
    ("order_demolition", "officer", at(2026, 3, 3, 10), _investigating, "violation_date",
     {"co_officer": CO, "demolish_by": "2026-03-20", "announcement": "限期自行拆除违法建设"}),
    ("notify", "officer", at(2026, 3, 5, 9), _investigated, "facts", {}),
    ("decide", "leader", at(2026, 3, 13, 9), _ready_to_decide, "court", {}),
    ("serve", "officer", at(2026, 3, 13, 15), _decided, "party_address", {"method": "direct", "recipient": "张某"}),
    ("urge", "officer", at(2026, 4, 10, 9), _served, "decision_number", {}),
    ("close", "leader", at(2026, 3, 23, 9), _performed, "party_name", {"summary": "已履行"}),
    ("hand_over", "officer", at(2026, 3, 4, 14), _referral_approved, "title", {"police_unit": "开封市公安局龙亭分局"}),
    ("seize", "officer", at(2026, 3, 3, 14), _seizure_approved, "party_name", {"co_officer": CO, "measure": "M"}),
]


@pytest.mark.parametrize("act,who,when,setup,blank,data", CASES, ids=[c[0] for c in CASES])
def test_an_act_refuses_while_its_document_lacks_a_field_then_goes_through(act, who, when, setup, blank, data, walk,
                                                                           city, api_client, login):
    if setup:
        setup(walk)
    data = {k: (walk.co() if v == CO else walk.case.measures.get().pk if v == "M" else v) for k, v in data.items()}
    case = EnforcementCase.objects.get(pk=walk.case.pk)
    state, documents, numbers = case.state, CaseDocument.objects.count(), list(
        DocumentCounter.objects.values_list("last_number", flat=True))
    on_body = blank in ("court", "review_authority")
    kept = getattr(case.body if on_body else case, blank)
    if on_body:
        EnforcementBody.objects.filter(pk=case.body_id).update(**{blank: ""})
    else:
        EnforcementCase.objects.filter(pk=case.pk).update(**{blank: None if blank.endswith("_date") else ""})
    with time_machine.travel(when, tick=False):
        api = api_client(city[who]).post(f"/api/v1/enforcement/cases/{case.pk}/acts/{act}", data,
                                         content_type="application/json")
        page = login(city[who]).post(f"/enforcement/cases/{case.pk}/acts/{act}/", data, HTTP_HX_REQUEST="true")
    assert api.status_code == 422, api.content
    assert api.json()["field"] == blank and api.json()["code"] == "document_field_missing"
    assert "请先填写" in api.json()["detail"]
    text = page.content.decode()
    assert page.status_code == 422 and "请先填写“" in text and "”" in text
    case.refresh_from_db()
    assert case.state == state and CaseDocument.objects.count() == documents
    assert list(DocumentCounter.objects.values_list("last_number", flat=True)) == numbers  # no number used up
    # positive control: the field filled in again, the same act goes through
    if on_body:
        EnforcementBody.objects.filter(pk=case.body_id).update(**{blank: kept})
    else:
        EnforcementCase.objects.filter(pk=case.pk).update(**{blank: kept})
    with time_machine.travel(when, tick=False):
        ok = api_client(city[who]).post(f"/api/v1/enforcement/cases/{case.pk}/acts/{act}", data,
                                        content_type="application/json")
    assert ok.status_code == 200, ok.content
    if ACT_DOCUMENTS.get(act) and act not in ("propose_filing",):
        assert CaseDocument.objects.count() > documents


def test_the_page_names_the_missing_field_in_chinese(walk, city, login):
    EnforcementCase.objects.filter(pk=walk.case.pk).update(party_address="")
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        page = login(city["officer"]).post(f"/enforcement/cases/{walk.case.pk}/acts/propose_filing/",
                                           {"co_officer": walk.co(), "opinion": "建议立案"}, HTTP_HX_REQUEST="true")
    assert "请先填写“当事人地址”：立案审批表需要载明此项。" in page.content.decode()


def test_an_inquiry_of_a_witness_needs_the_witness_identity(walk, city, api_client):
    to_investigating(walk)
    url = f"/api/v1/enforcement/cases/{walk.case.pk}/acts/record_inquiry"
    base = {"co_officer": walk.co(), "person": "李某（证人）", "content": "问：你看到了什么？答：堆放砂石。"}
    with time_machine.travel(at(2026, 3, 3, 11), tick=False):
        refused = api_client(city["officer"]).post(url, base, content_type="application/json")
        assert refused.status_code == 422 and refused.json()["field"] == "person_identity"
        ok = api_client(city["officer"]).post(url, {**base, "person_identity": "居民身份证 410202199001010000，住龙亭区"},
                                              content_type="application/json")
    assert ok.status_code == 200
    doc = walk.case.documents.get(kind="inquiry_record")
    assert doc.number == "" and doc.size > 0
    # the party questioned: their ID number and address on the case are the identity
    with time_machine.travel(at(2026, 3, 3, 12), tick=False):
        party = api_client(city["officer"]).post(url, {**base, "person": walk.case.party_name},
                                                 content_type="application/json")
    assert party.status_code == 200


def test_the_decision_needs_an_evidence_list_and_the_discretion_level(walk):
    _ready_to_decide(walk)
    case = EnforcementCase.objects.get(pk=walk.case.pk)
    assert missing("decision", case) == []
    case.evidence.all().delete()
    case.suggested_level = case.chosen_level = ""
    assert [name for name, _label in missing("decision", case)] == ["chosen_level", "evidence"]


def test_every_document_declares_its_fields_and_a_complete_case_passes(walk):
    to_notified(walk)
    case = EnforcementCase.objects.get(pk=walk.case.pk)
    assert set(DOCUMENT_NEEDS) >= {k for kinds in ACT_DOCUMENTS.values() for k in kinds}
    check_act("decide", case)  # nothing missing: no exception
    assert [n for n, _l in missing("inspection_record", case, {"place": " ", "findings": "堆放砂石"})] == ["place"]
    assert missing("inspection_record", case, {"place": "北道门街", "findings": "堆放砂石"}) == []
    case.party_type = ""
    with pytest.raises(Exception) as refused:
        check_act("decide", case)
    assert refused.value.field == "party_type"
