"""The monthly report of the demo city (Kaifeng, every app's demo loader) for its last full month, opened with
python-docx: every section, every chart image present and a real picture, the hotspot map drawn. The cases demo
runs with its smallest plan (3 cases per state, every state) to keep the test short; the loaders take ~1–2 min
on the shared build machine (the time is printed)."""

import io
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from chengguan.cases import demo as cases_demo
from chengguan.cases import workflow
from chengguan.cases.models import Case
from chengguan.core.management.commands.demo import demo_loaders
from chengguan.evaluation.monthly import CHARTS, SECTIONS, build, figures
from chengguan.evaluation.periods import _shift_month
from chengguan.org.models import Region


@pytest.mark.django_db
def test_the_demo_citys_report_of_its_last_full_month(monkeypatch, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(cases_demo, "PLAN", {state: 3 for state in workflow.STATES})
    started = time.monotonic()
    for _app, load in demo_loaders():
        load(stdout=io.StringIO())
    loaded = time.monotonic() - started
    city = Region.objects.get(level="city")
    assert city.name == "开封市"  # the demo city, not the test city
    today = timezone.localdate()
    year, month = _shift_month(today.year, today.month, -1)
    f = figures(city, year, month)
    assert f["total"] > 0 and len(f["points"]) == f["total"]  # the demo has cases in its last full month
    assert f["enforcement"] is not None and f["satisfaction"] is not None
    started = time.monotonic()
    data = build(city, year, month)
    built = time.monotonic() - started
    with capsys.disabled():
        print(f"\ndemo loaders {loaded:.1f} s ({Case.objects.count()} cases); report {built:.1f} s")
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{city.name}城市管理" in text and f"{year}年{month}月分析报告" in text
    for section in SECTIONS:
        assert section in text, section
    assert f"{city.name}共受理城市管理问题{f['total']}件" in text
    assert "满意率" in text and "罚款合计" in text and "红灯督办通知" in text
    assert len(doc.inline_shapes) == len(CHARTS)
    sizes = []
    for shape in doc.inline_shapes:
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG") and len(blob) > 5000
        sizes.append(len(blob))
    out = Path(os.environ.get("CHENGGUAN_ARTIFACTS", "artifacts")) / "office" / "monthly"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"demo-{year}-{month:02d}.docx").write_bytes(data)
    for name, shape in zip(CHARTS, doc.inline_shapes, strict=True):
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        (out / f"{name}.png").write_bytes(blob)
