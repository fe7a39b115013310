"""月度分析报告: a month of a district with cases from several sources and matters, opened with python-docx —
sections, the generated summary, the tables, both charts; the worker's job keeps one file per district."""

import io
import os
from datetime import date
from pathlib import Path

import time_machine
from django.core.files.storage import default_storage
from docx import Document

from chengguan.cases.services import case_report
from chengguan.catalog.models import MatterType
from chengguan.evaluation.monthly import CHARTS, SECTIONS, build, monthly_job, storage_name
from chengguan.grids.testing import make_grids
from chengguan.org.models import Region

from .conftest import POINT_A, at


def _report(city, matter, source, when, by="supervisor"):
    with time_machine.travel(when, tick=False):
        return case_report(actor=city[by] if by else None, source=source, matter=matter, lng=POINT_A[0],
                           lat=POINT_A[1], crs="gcj02", description="路边有暴露垃圾", address="西门大街 12 号")  # fmt: skip


def test_the_monthly_report_has_its_sections_summary_and_charts(city, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_grids(city)
    garbage, other = MatterType.objects.get(code="06010"), MatterType.objects.exclude(code="06010").first()
    for day in (3, 4, 5):
        _report(city, garbage, "supervisor", at(day, 10))
    _report(city, other, "citizen", at(6, 10), by=None)
    _report(city, garbage, "supervisor", at(10, 10, month=2))  # last month, for the change
    with time_machine.travel(at(1, 2, month=4), tick=False):
        data = build(city.district_a, 2026, 3)
        doc = Document(io.BytesIO(data))
        written = monthly_job(date(2026, 4, 1))
    text = "\n".join(p.text for p in doc.paragraphs)
    for section in SECTIONS:
        assert section in text, section
    assert f"{city.district_a.name}共受理城市管理问题4件" in text and "环比+300.0%" in text
    assert "高发问题为暴露垃圾（3件，占75.0%）" in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("3件，环比+200.0%" in c for c in cells), cells
    assert len(doc.inline_shapes) == len(CHARTS) == 6  # sources, classes, hotspot map, steps, satisfaction, 721
    for shape in doc.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        assert len(doc.part.related_parts[blip.embed].blob) > 5000  # a real PNG, not an empty frame
    assert round(doc.sections[0].page_width.mm) == 210 and round(doc.sections[0].left_margin.mm) == 28
    out = Path(os.environ.get("CHENGGUAN_ARTIFACTS", "artifacts")) / "office"
    out.mkdir(parents=True, exist_ok=True)
    (out / "monthly-report.docx").write_bytes(data)  # to be looked at (rendered to PDF by hand or in CI)
    districts = Region.objects.filter(level="district").count()
    assert len(written) == districts and default_storage.exists(storage_name(city.district_a, 2026, 3))


def test_the_report_page_is_for_leaders_lists_months_generates_and_opens_a_past_month(city, login, settings,
                                                                                      tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_grids(city)
    _report(city, MatterType.objects.get(code="06010"), "supervisor", at(3, 10))
    with time_machine.travel(at(5, 10, month=4), tick=False):
        client = login(city["leader"])
        page = client.get("/evaluation/monthly/")
        text = page.content.decode()
        assert page.status_code == 200 and "2026年3月" in text and "2026年4月" not in text  # past months only
        url = f"/evaluation/monthly/{city.district_a.code}/2026-03"
        assert client.get(url + ".docx").status_code == 404  # not generated yet
        assert client.post(url + "/generate/").status_code == 302
        assert f'href="{url}.docx"' in client.get("/evaluation/monthly/").content.decode()
        opened = client.get(url + ".docx")
        assert opened.status_code == 200
        doc = Document(io.BytesIO(b"".join(opened.streaming_content)))
        assert any(SECTIONS[3] in p.text for p in doc.paragraphs)
        current = f"/evaluation/monthly/{city.district_a.code}/2026-04"
        assert client.post(current + "/generate/").status_code == 404  # the month is not over
        for who in ("outsider", "supervisor", "dispatcher", "nobody"):
            other = login(city[who])
            assert other.get("/evaluation/monthly/").status_code == 403, who
            assert other.get(url + ".docx").status_code == 403, who
            assert other.post(url + "/generate/").status_code == 403, who


def test_the_report_reads_on_the_page_with_the_same_sections_and_charts(city, login, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_grids(city)
    _report(city, MatterType.objects.get(code="06010"), "supervisor", at(3, 10))
    with time_machine.travel(at(5, 10, month=4), tick=False):
        url = f"/evaluation/monthly/{city.district_a.code}/2026-03/"
        page = login(city["leader"]).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        text = page.content.decode()
        assert page.status_code == 200 and f"{city.district_a.name}城市管理" in text
        for section in SECTIONS:
            assert section in text, section
        assert text.count('src="data:image/png;base64,') == len(CHARTS)  # the .docx's six charts
        assert f"{city.district_a.name}共受理城市管理问题1件" in text
        assert login(city["leader"]).get(f"/evaluation/monthly/{city.district_a.code}/2026-04/").status_code == 404
        for who in ("outsider", "supervisor", "nobody"):
            assert login(city[who]).get(url).status_code == 403, who
        assert login(city["admin"]).get(url).status_code == 200  # control: the other role that may read it
