"""Documents: numbered per body and year, rendered from editable templates, hashed into the audit chain."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from chengguan.enforcement.audit import audit_verify
from chengguan.enforcement.docxgen import build
from chengguan.enforcement.models import AuditRecord, CaseDocument, DocumentTemplate
from chengguan.enforcement.services.documents import next_number, render, rmb_upper

from .conftest import at, to_notified


def text_of(doc: CaseDocument) -> str:
    with doc.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_decision_document_carries_number_party_basis_amount_and_remedies(walk):
    to_notified(walk, fine="5000")
    walk.do("record_statement", "officer", at(2026, 3, 6), statement="已整改", review="不予采纳")
    case = walk.do("decide", "leader", at(2026, 3, 13))
    decision = case.documents.get(kind="decision")
    text = text_of(decision)
    assert decision.number == "汴城管罚决字〔2026〕第0001号"
    for expected in ("开封市城市管理局", "行政处罚决定书", "汴城管罚决字〔2026〕第0001号", "开封市某某建筑工程有限公司",
                     "91410200MA0000000X", "违反了《城市道路管理条例》第二十七条第（一）项的规定",
                     "依据《城市道路管理条例》第四十二条的规定", "罚款人民币5,000元（伍仟元整）",
                     "中国工商银行开封分行营业部", "开封市人民政府", "开封市龙亭区人民法院", "现场检查笔录",
                     "不予采纳", "2026年3月13日"):
        assert expected in text, expected
    assert "{{" not in text
    notice = text_of(case.documents.get(kind="prior_notice"))
    assert "汴城管罚告字〔2026〕第0001号" in notice and "2026年3月12日" in notice  # rights due date
    filing = text_of(case.documents.get(kind="filing_approval"))
    assert "汴城管立字〔2026〕第0001号" in filing and "豫A-00000" in filing and "同意 leader" in filing
    assert "同意立案。同意" not in filing  # the leader's own opinion, no fixed "同意立案" put before it
    record = AuditRecord.objects.get(seq=decision.audit_seq)
    assert record.files[0]["sha256"] == decision.sha256


def test_numbers_run_per_body_series_and_year(body, city):
    from chengguan.enforcement.models import EnforcementBody

    other = EnforcementBody.objects.create(department=city.brigade_b, name="顺河回族区城市管理局", short_name="顺城管")
    assert next_number(body, "罚决", 2026) == "汴城管罚决字〔2026〕第0001号"
    assert next_number(body, "罚决", 2026) == "汴城管罚决字〔2026〕第0002号"
    assert next_number(body, "罚告", 2026) == "汴城管罚告字〔2026〕第0001号"
    assert next_number(other, "罚决", 2026) == "顺城管罚决字〔2026〕第0001号"
    assert next_number(body, "罚决", 2027) == "汴城管罚决字〔2027〕第0001号"


def test_an_uploaded_template_replaces_the_shipped_one(walk, city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    custom = build("inspection_record")
    custom.add_paragraph("本局自定义模板：{{party_name}}，地点{{place}}")
    out = io.BytesIO()
    custom.save(out)
    DocumentTemplate.objects.create(kind="inspection_record", file=SimpleUploadedFile("t.docx", out.getvalue()),
                                    sha256=hashlib.sha256(out.getvalue()).hexdigest(), uploaded_by=city["admin"],
                                    uploaded_at=at(2026, 3, 1))
    from .conftest import to_investigating

    case = to_investigating(walk)
    doc = case.documents.get(kind="inspection_record")
    assert "本局自定义模板：开封市某某建筑工程有限公司，地点北道门街西段" in text_of(doc)
    assert doc.template_sha256 == hashlib.sha256(out.getvalue()).hexdigest()


def test_placeholders_split_across_runs_are_filled():
    document = Document()
    paragraph = document.add_paragraph()
    for piece in ("当事人：{{par", "ty_na", "me}}。"):
        paragraph.add_run(piece)
    out = io.BytesIO()
    document.save(out)
    rendered = Document(io.BytesIO(render(out.getvalue(), {"party_name": "王某"})))
    assert rendered.paragraphs[0].text == "当事人：王某。"


@pytest.mark.parametrize("amount,text", [
    ("0", "零元整"), ("5000", "伍仟元整"), ("200", "贰佰元整"), ("1234.5", "壹仟贰佰叁拾肆元伍角整"),
    ("100000005", "壹亿零伍元整"), ("10010000", "壹仟零壹万元整"), ("10000100", "壹仟万零壹佰元整"),
    ("0.07", "柒分"), ("30.06", "叁拾元零陆分"), ("105000", "壹拾万伍仟元整"),
])
def test_amounts_in_capital_numerals(amount, text):
    assert rmb_upper(Decimal(amount)) == text


def test_documents_are_part_of_the_verified_chain(walk):
    to_notified(walk)
    assert audit_verify(check_files=True).ok
    doc = walk.case.documents.get(kind="prior_notice")
    with doc.file.open("wb") as fh:
        fh.write(b"forged")
    problems = audit_verify(check_files=True).problems
    assert any(doc.file.name in p and "changed" in p for p in problems)
