"""One layout for every generated document (执法文书 and any other): GB/T 9704-2012 (党政机关公文格式).

- A4 (210 × 297 mm); margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (版心 156 × 225 mm);
- 22 lines × 28 characters (a line grid of 28.95 pt; characters 0.4 pt closer than their 16 pt, pitch 15.6 pt);
- body 仿宋_GB2312 三号 (16 pt), title 方正小标宋简体 二号 (22 pt), digits and Latin in Times New Roman;
- page numbers 4号 (14 pt) 宋体 "— 1 —", under the text block, right on odd pages and left on even pages,
  one character in from the edge;
- the issuing body's name and the date right-aligned four characters in, with room above them for the seal
  (the seal sits centred over the name and date, pressing down on them).

The fonts are named as offices have them; on machines without them (Debian: fonts-noto-cjk, fonts-arphic-ukai)
the document's font table declares the alternatives (`w:altName`) and `fonts.conf` beside this file maps the
names for LibreOffice/fontconfig, so a PDF rendered on a server uses a real serif CJK face, not a fallback box.
"""

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT, TITLE_FONT, NUMBER_FONT, LATIN_FONT = "仿宋_GB2312", "方正小标宋简体", "宋体", "Times New Roman"
FALLBACKS = {  # declared in the document's font table, and mapped in fonts.conf
    "仿宋_GB2312": "FangSong",
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
    "宋体": "SimSun",
    "黑体": "SimHei",
}
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NUMBER_PT = 16, 22, 14, 14
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines
CHAR_SPACING_TWIPS = -8  # 16 pt characters drawn 0.4 pt closer: 156 mm holds 28 of them (pitch 15.6 pt)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]


def _fonts(run, font: str = BODY_FONT, size: float = BODY_PT, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _exact_lines(paragraph, pitch_twips: int = LINE_PITCH_TWIPS) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch_twips / 20)
    fmt.space_before = fmt.space_after = Pt(0)


def _page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(MARGINS_MM["bottom"] - 7 - 5)  # the number's line ~7 mm under the text block
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    for grid in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(grid)
    grid = OxmlElement("w:docGrid")  # 22 lines; the 28 characters come from the body's character spacing
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect_pr.append(grid)


def _page_number(paragraph, align) -> None:
    """`— n —` in 4号 宋体, one character in from the edge."""
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    _fonts(paragraph.add_run("— "), NUMBER_FONT, PAGE_NUMBER_PT)
    run = paragraph.add_run()
    _fonts(run, NUMBER_FONT, PAGE_NUMBER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._element.append(el)
    _fonts(paragraph.add_run(" —"), NUMBER_FONT, PAGE_NUMBER_PT)


def _declare_fallbacks(doc) -> None:
    """Add the office fonts to the font table with their alternative names (w:altName) and CJK charset."""
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    from docx.oxml.parser import parse_xml

    root = parse_xml(part.blob)
    for name, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, attr, value in (("w:altName", "w:val", alt), ("w:charset", "w:val", "86"),
                                 ("w:family", "w:val", "roman"), ("w:pitch", "w:val", "variable")):  # fmt: skip
            el = OxmlElement(tag)
            el.set(qn(attr), value)
            font.append(el)
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def new_document():
    """An empty document with the GB/T 9704 page, grid, default fonts and page numbers."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    rpr.append(spacing)
    _exact_lines(normal)
    section = doc.sections[0]
    _page_setup(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    _declare_fallbacks(doc)
    return doc


def heading(doc, text: str, *, size: float = TITLE_PT) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_lines(p, int(size * 20 * 1.5))
    _fonts(p.add_run(text), TITLE_FONT, size)


def number_line(doc, text: str) -> None:
    """The document number (文号), right-aligned one line under the title."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _exact_lines(p)
    _fonts(p.add_run(text))


def paragraph(doc, text: str, *, indent: bool = True, bold_lead: str = "") -> None:
    """A body paragraph, first line indented two characters; `bold_lead` is printed in 黑体 before the text."""
    p = doc.add_paragraph()
    _exact_lines(p)
    if indent:
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    if bold_lead:
        _fonts(p.add_run(bold_lead), "黑体")
    _fonts(p.add_run(text))


def plain(doc, text: str) -> None:
    """A line flush left, not indented (addressee, form lines)."""
    paragraph(doc, text, indent=False)


def table(doc, rows, *, label_mm: float = 48) -> None:
    """A two-column form table as wide as the text block: label | value, 四号 仿宋."""
    t = doc.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = (Mm(label_mm), Mm(TEXT_WIDTH_MM - label_mm))
    for label, value in rows:
        cells = t.add_row().cells
        for cell, text, width in ((cells[0], label, widths[0]), (cells[1], value, widths[1])):
            cell.width = width
            p = cell.paragraphs[0]
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(TABLE_PT * 1.5)
            fmt.space_before = fmt.space_after = Pt(0)
            _fonts(p.add_run(text), "黑体" if cell is cells[0] else BODY_FONT, TABLE_PT)
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))


def lines(doc, texts) -> None:
    """Lines flush left at the body size, e.g. 问/答 or signature lines."""
    for text in texts:
        plain(doc, text)


def signature(doc, body_name: str, date_text: str) -> None:
    """The issuing body and the date, right-aligned four characters in, with three lines above for the seal;
    the seal is pressed centred over the name and date (GB/T 9704 7.3.5.1)."""
    for _ in range(2):
        doc.add_paragraph()
    for text in (body_name + "（印章）", date_text):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_PT * 4)
        _exact_lines(p)
        _fonts(p.add_run(text))


__all__ = ["new_document", "heading", "number_line", "paragraph", "plain", "table", "lines", "signature",
           "TEXT_WIDTH_MM", "MARGINS_MM"]  # fmt: skip
