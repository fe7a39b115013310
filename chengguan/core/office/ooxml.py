"""The fixed parts of an .xlsx package (SpreadsheetML, ECMA-376) the export layer writes around its sheets.

Style indexes (cellXfs) used by `xlsx.py`: see STYLE below. Number formats: 164 date-time, 165 date,
166 one decimal; 3 (#,##0), 4 (#,##0.00) and 10 (0.00%) are built in."""

from xml.sax.saxutils import escape, quoteattr

STYLE = {"default": 0, "title": 1, "meta": 2, "header": 3, "datetime": 4, "date": 5, "int": 6, "number": 7,
         "money": 7, "hours": 8, "pct": 9, "quoted": 10}  # fmt: skip

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = (
    HEAD + f"<styleSheet {NS}>"
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="0.0"/></numFmts>'
    '<fonts count="4"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="14"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><sz val="10"/><color rgb="FF555555"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFEEF2F7"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="11">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" '
    'applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def content_types(n_sheets: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


ROOT_RELS = (
    HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def workbook_rels(n_sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    )
    return (
        HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{rels}<Relationship Id="rId{n_sheets + 1}" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
    )


def workbook(sheets: list[tuple[str, str, str]]) -> str:
    """`sheets`: [(name, auto-filter range, print-titles rows)] in order."""
    entries = "".join(
        f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>" for i, (name, _f, _p) in enumerate(sheets, 1)
    )
    quoted = ["'" + name.replace("'", "''") + "'" for name, _f, _p in sheets]
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{escape(q)}!{ref}</definedName>'
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(q)}!{titles}</definedName>'
        for i, ((_n, ref, titles), q) in enumerate(zip(sheets, quoted, strict=True))
    )
    return (
        HEAD + f"<workbook {NS} {NS_R}><bookViews><workbookView/></bookViews><sheets>{entries}</sheets>"
        f"<definedNames>{names}</definedNames></workbook>"
    )


def sheet_head(*, frozen_row: int, widths: list[float], selected: bool) -> str:
    """Everything before <sheetData>: fit-to-page, the frozen header pane and the column widths."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:.2f}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    top = f"A{frozen_row + 1}"
    tab = ' tabSelected="1"' if selected else ""
    pane = (
        f'<pane ySplit="{frozen_row}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
    )
    return (
        HEAD + f"<worksheet {NS} {NS_R}>"
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView{tab} workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def sheet_tail(*, autofilter: str) -> str:
    return (
        f'</sheetData><autoFilter ref="{autofilter}"/>'
        '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        '<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>'
    )
