"""The printable forms of a case (案卷单, 派遣单, 延期/挂账审批表): pages for print and PDFs, for those who may open
the case only; and the acts that produce them refuse while a field the form prints is missing."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from chengguan.cases.models import Case
from chengguan.cases.sheets import case_sheet, dispatch_sheet, request_sheet
from chengguan.cases.workflow import State

API = "/api/v1/cases"


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _hung_up_request(walk):
    case = walk.to(State.DISPATCHED)
    return walk.act(case, "request_extension", "department_handler", amount=4, unit="working_hours",
                    reason="需协调环卫车辆")  # fmt: skip


def test_the_case_page_links_the_forms_it_has_and_each_opens_for_print(walk, city, login):
    filed = walk.to(State.FILED)
    client = login(city["dispatcher"])
    page = client.get(f"/cases/{filed.pk}/").content.decode()
    assert f'/cases/{filed.pk}/sheet/case/' in page and "案卷单" in page
    assert f'/cases/{filed.pk}/sheet/dispatch/' not in page  # not dispatched yet
    assert client.get(f"/cases/{filed.pk}/sheet/dispatch/").status_code == 404
    case = _hung_up_request(walk)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    for kind in ("case", "dispatch", "request"):
        assert f'/cases/{case.pk}/sheet/{kind}/' in page  # positive control for the absence above
        sheet = client.get(f"/cases/{case.pk}/sheet/{kind}/")
        text = sheet.content.decode()
        assert sheet.status_code == 200 and 'class="sheet"' in text and "core/print.css" in text
        assert case.number in text and 'name="format" value="pdf"' in text and "data-print" in text
    text = client.get(f"/cases/{case.pk}/sheet/dispatch/").content.decode()
    assert "城市管理派遣单" in text and city.sanitation.name in text and "处置时限" in text
    assert "需协调环卫车辆" in client.get(f"/cases/{case.pk}/sheet/request/").content.decode()


@pytest.mark.parametrize("who", ["outsider", "nobody"])
def test_no_one_outside_the_case_opens_its_forms(walk, city, login, who):
    case = _hung_up_request(walk)
    for kind in ("case", "dispatch", "request"):
        assert login(city[who]).get(f"/cases/{case.pk}/sheet/{kind}/").status_code == 404
        assert login(city[who]).get(f"/cases/{case.pk}/sheet/{kind}/?format=pdf").status_code == 404
    assert login(city["dispatcher"]).get(f"/cases/{case.pk}/sheet/case/").status_code == 200  # control


def test_the_sheet_masks_the_reporter(walk, city, login):
    case = walk.to(State.FILED, reporter_name="张三丰", reporter_phone="13912341234", by="operator", source="hotline")
    text = login(city["dispatcher"]).get(f"/cases/{case.pk}/sheet/case/").content.decode()
    assert "139****1234" in text and "13912341234" not in text and "张**" in text


@pytest.mark.parametrize("action,state,data", [
    ("file", State.ACCEPTED, "file"),
    ("dispatch", State.FILED, "dispatch"),
    ("request_extension", State.DISPATCHED, "extension"),
    ("request_hang_up", State.DISPATCHED, "hang_up"),
])
def test_an_act_refuses_while_its_form_lacks_the_description_then_goes_through(walk, city, api_client, login,
                                                                               action, state, data):
    who = {"file": "shift_leader", "dispatch": "dispatcher"}.get(action, "department_handler")
    params = {"file": walk._file(), "dispatch": {"department_id": city.sanitation.pk},
              "extension": {"amount": 4, "unit": "working_hours", "reason": "材料未到"},
              "hang_up": {"reason": "需立项"}}[data]
    case = walk.to(state)
    kept = case.description
    Case.objects.filter(pk=case.pk).update(description="  ")
    refused = _post(api_client(city[who]), f"{API}/{case.pk}/actions/{action}", params)
    assert refused.status_code == 422 and refused.json()["field"] == "description"
    assert refused.json()["code"] == "document_field_missing" and "问题描述" in refused.json()["detail"]
    page = login(city[who]).post(f"/cases/{case.pk}/act/{action}/", {k: v for k, v in params.items()}, follow=True)
    assert "请先填写“问题描述”" in page.content.decode()
    assert Case.objects.get(pk=case.pk).state == state and not case.requests.exists()  # nothing written
    Case.objects.filter(pk=case.pk).update(description=kept)
    ok = _post(api_client(city[who]), f"{API}/{case.pk}/actions/{action}", params)
    assert ok.status_code == 200, ok.content


def artifacts() -> Path:
    path = Path(os.environ.get("CHENGGUAN_ARTIFACTS", "artifacts")) / "office" / "sheets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_each_form_renders_to_an_a4_pdf_within_the_margins(walk, city, login, settings):
    if not shutil.which("soffice") or not shutil.which("pdfinfo"):
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed")
    case = _hung_up_request(walk)
    out = artifacts()
    from django.utils import translation

    with translation.override("zh-hans"):
        sheets = {"case": case_sheet(case), "dispatch": dispatch_sheet(case), "request": request_sheet(case)}
    response = login(city["dispatcher"]).get(f"/cases/{case.pk}/sheet/dispatch/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for name, sheet in sheets.items():
        pdf = out / f"{name}.pdf"
        pdf.write_bytes(sheet.pdf())
        check_pdf(pdf, out)
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert case.number in words and sheet.title in words.replace(" ", "")


def check_pdf(pdf: Path, out: Path) -> None:
    """A4, every word inside the GB/T 9704 text block (or the footer's page number), page 1 kept as a PNG."""
    from chengguan.core.office import docs as office
    from chengguan.enforcement.tests.test_document_layout import MM, pdf_words

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1, (pdf, w, h)
    left, right, top = (office.MARGINS_MM[k] * MM for k in ("left", "right", "top"))
    words = pdf_words(pdf)
    assert words
    outside = [wd for wd in words if wd[1] < left - 2 or wd[3] > w - right + 2 or wd[2] < top - 2]
    assert not outside, (pdf.name, outside[:5])
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(out / pdf.stem)], check=True)  # fmt: skip
