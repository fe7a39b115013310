"""Every document template rendered to PDF by LibreOffice (headless) in the official layout: A4, the GB/T 9704
margins, no text outside the text block, fonts embedded, page numbers "— n —"; and in every document the
provision violated (违法条款) and the penalty provision (处罚依据) are distinct and each printed in its place.

The PDFs and a PNG of each first page are kept in artifacts/office/documents/ to be looked at.
Needs `soffice` (Debian: libreoffice-writer-nogui) and poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document

from chengguan.core.office import docs as office
from chengguan.enforcement.docxgen import TEMPLATES, build
from chengguan.enforcement.services.base import case_context
from chengguan.enforcement.services.documents import PLACEHOLDER, render

from .conftest import at

MM = 72 / 25.4
FONTS_CONF = Path(office.__file__).with_name("fonts.conf")
LONG_FACTS = (
    "经查，当事人于2026年2月26日起未经批准擅自占用城市道路（龙亭区北道门街西段人行道）堆放砂石、砖块等建筑材料，"
    "占用面积约30平方米，影响行人通行。执法人员于2026年3月3日现场检查，制作了现场检查笔录，并拍摄照片12张。"
) * 3


def artifacts() -> Path:
    path = Path(os.environ.get("CHENGGUAN_ARTIFACTS", "artifacts")) / "office" / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sample_context(case, kind: str) -> dict:
    """Every placeholder of the template filled: the case's own values, long text where text can be long."""
    case.refresh_from_db()
    with translation.override("zh-hans"):  # choice labels as the documents print them (the suite runs in English)
        return _context(case, kind)


def _context(case, kind: str) -> dict:
    context = case_context(case, at(2026, 3, 13), number="汴城管罚决字〔2026〕第0001号", case_number="汴城管立字〔2026〕第0001号",
                           facts=LONG_FACTS, evidence="现场检查笔录、询问笔录、现场照片12张、当事人营业执照复印件",
                           officers="王执法（执法证号41020019001）、李执法（执法证号41020019002）",
                           recorder="李执法（执法证号41020019002）")  # fmt: skip
    template = Document(_template_bytes(kind))
    texts = [p.text for p in template.paragraphs] + [
        c.text for t in template.tables for r in t.rows for c in r.cells
    ]
    for name in {m for text in texts for m in PLACEHOLDER.findall(text)}:
        context.setdefault(name, f"（{name}示例内容）")
        if context[name] == "":
            context[name] = "—"
    context["content"] = "问：你的基本情况？\n答：我叫张三，是该公司现场负责人。\n问：砂石是谁堆放的？\n答：是我们公司施工队堆放的。"
    return context


def _template_bytes(kind):
    import io

    out = io.BytesIO()
    build(kind).save(out)
    out.seek(0)
    return out


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, float, str]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        elif m := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line):
            words.append((page, *map(float, m.groups()[:4]), m[5]))
    return words


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) or poppler-utils is not installed: apt-get install libreoffice-writer-nogui "
                    "poppler-utils")
    return tmp_path_factory.mktemp("docs")


def test_every_template_renders_to_a4_within_the_margins(rendered, walk):
    case = walk.case
    out = artifacts()
    for kind in TEMPLATES:
        data = render(_template_bytes(kind).getvalue(), sample_context(case, kind))
        (rendered / f"{kind}.docx").write_bytes(data)
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(rendered)}
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{rendered}/lo", "--headless", "--convert-to", "pdf", "--outdir",
         str(out), *sorted(str(p) for p in rendered.glob("*.docx"))],
        check=True, capture_output=True, env=env, timeout=300,
    )  # fmt: skip
    left, right, top, bottom = (office.MARGINS_MM[k] * MM for k in ("left", "right", "top", "bottom"))
    for kind in TEMPLATES:
        pdf = out / f"{kind}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1, (kind, w, h)  # A4
        words = pdf_words(pdf)
        assert words, kind
        body = [wd for wd in words if wd[4] <= h - bottom + 2]
        footer = [wd for wd in words if wd[2] > h - bottom + 2]
        outside = [wd for wd in body if wd[1] < left - 2 or wd[3] > w - right + 2 or wd[2] < top - 2]
        assert not outside, (kind, outside[:5])
        assert "—" in "".join(wd[5] for wd in footer if wd[0] == 1), (kind, "page number")
        assert "1" in "".join(wd[5] for wd in footer if wd[0] == 1), kind
        assert min(wd[1] for wd in body) < left + 20  # the text really starts at the left margin (control)
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(" yes " in row for row in rows), (kind, fonts)  # every font embedded
        assert "CJK" in fonts, (kind, fonts)  # the CJK fallback, not a box font
        subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                        str(out / f"{kind}-page1")], check=True)  # fmt: skip
    text = subprocess.run(["pdftotext", str(out / "decision.pdf"), "-"], capture_output=True, text=True).stdout
    assert "违反了《城市道路管理条例》第二十七条第（一）项的规定" in re.sub(r"\s", "", text)


PROVISION_DOCS = [k for k, (_t, blocks) in TEMPLATES.items() if "{{violated_provision}}" in repr(blocks)]


@pytest.mark.parametrize("kind", PROVISION_DOCS)
def test_violated_and_penalty_provisions_are_distinct_and_in_their_places(kind, walk):
    context = sample_context(walk.case, kind)
    violated, penalty = context["violated_provision"], context["penalty_provision"]
    assert violated == "《城市道路管理条例》第二十七条第（一）项" and penalty == "《城市道路管理条例》第四十二条"
    doc = Document(__import__("io").BytesIO(render(_template_bytes(kind).getvalue(), context)))
    texts = [p.text for p in doc.paragraphs]
    rows = {r.cells[0].text: r.cells[1].text for t in doc.tables for r in t.rows}
    if "违法条款" in rows:
        assert rows["违法条款"] == violated and rows["处罚依据"] == penalty
    else:
        assert any(f"违反了{violated}的规定" in t for t in texts), texts
        if "{{penalty_provision}}" in repr(TEMPLATES[kind][1]):
            assert any(f"依据{penalty}的规定" in t or f"和{penalty}的规定" in t for t in texts), texts
    assert not re.search(r"第\d+[条款项]", "".join(texts) + "".join(rows.values()))  # Chinese numerals throughout
