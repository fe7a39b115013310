"""执法案件审批表: a print page and a PDF for those who may open the case (404 for anyone else), linked from the
case page once the case is filed, with the violated provision and the penalty provision in their own rows."""

import shutil
import subprocess

import pytest
import time_machine
from django.utils import translation

from chengguan.enforcement.approval import approval_sheet

from .conftest import at, to_notified


def _decided(walk):
    to_notified(walk)
    walk.do("record_statement", "officer", at(2026, 3, 6, 9), waived=True)
    walk.do("decide", "leader", at(2026, 3, 13, 9))
    return walk.case


def test_the_case_page_links_the_form_once_filed_and_it_prints(walk, city, login):
    client = login(city["officer"])
    url = f"/enforcement/cases/{walk.case.pk}/approval-form/"
    assert url not in client.get(f"/enforcement/cases/{walk.case.pk}/").content.decode()  # a clue: nothing to approve
    assert client.get(url).status_code == 404
    case = _decided(walk)
    assert url in client.get(f"/enforcement/cases/{case.pk}/").content.decode()  # positive control
    with translation.override("zh-hans"):
        page = login(city["leader"]).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert page.status_code == 200 and "执法案件审批表" in text and "core/print.css" in text
    sheet = approval_sheet(case)
    rows = dict(sheet.rows)
    assert rows["违法条款"] and rows["处罚依据"] and rows["违法条款"] != rows["处罚依据"]
    assert rows["违法条款"] in text and rows["处罚依据"] in text
    assert "伍仟元整" in rows["罚款金额"] and "5,000.00元" in rows["罚款金额"]
    assert rows["负责人审批意见"] and rows["承办人意见"].startswith("事实清楚")


@pytest.mark.parametrize("who", ["outsider", "nobody", "supervisor"])
def test_no_one_outside_the_case_opens_the_form(walk, city, login, who):
    case = _decided(walk)
    url = f"/enforcement/cases/{case.pk}/approval-form/"
    assert login(city[who]).get(url).status_code == 404
    assert login(city[who]).get(url + "?format=pdf").status_code == 404
    assert login(city["legal_reviewer"]).get(url).status_code == 200  # control: a reviewer of the body may


def test_the_form_renders_to_an_a4_pdf_within_the_margins(walk, city, login):
    if not shutil.which("soffice") or not shutil.which("pdfinfo"):
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    from chengguan.cases.tests.test_sheets import artifacts, check_pdf

    case = _decided(walk)
    with time_machine.travel(at(2026, 3, 13, 10), tick=False):
        response = login(city["leader"]).get(f"/enforcement/cases/{case.pk}/approval-form/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    out = artifacts()
    pdf = out / "enforcement_approval.pdf"
    pdf.write_bytes(response.content)
    check_pdf(pdf, out)
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.replace(" ", "")
    assert "执法案件审批表" in words and "违法条款" in words and "处罚依据" in words
