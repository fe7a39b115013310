"""The shipped .docx templates, built in code: `python -m chengguan.enforcement.docxgen` rewrites them in
`templates/docx/`. Administrators may upload replacements (admin → document templates); a replacement may use
any of the {{placeholders}} listed in docs/enforcement.md. Placeholders are plain text in a paragraph or a
table cell, e.g. {{party_name}}.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

TEMPLATE_DIR = Path(__file__).parent / "templates" / "docx"

PARTY_TABLE = [
    ("当事人", "{{party_name}}"),
    ("当事人类型", "{{party_type}}"),
    ("身份证号码/统一社会信用代码", "{{party_id_number}}"),
    ("法定代表人（负责人）", "{{party_legal_rep}}"),
    ("住所（地址）", "{{party_address}}"),
    ("联系电话", "{{party_phone}}"),
]
REMEDY = (
    "如不服本决定，可以在收到本决定书之日起六十日内向{{review_authority}}申请行政复议，或者在六个月内依法向"
    "{{court}}提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
)
SIGNATURE = ["{{body_name}}（印章）", "{{date}}"]

# kind → (title, blocks). A block is a paragraph string, ("table", rows) or ("right", lines).
TEMPLATES = {
    "filing_approval": ("立案审批表", [
        "案号：{{case_number}}",
        ("table", [("案件来源", "{{source}}"), ("案由", "{{title}}"), *PARTY_TABLE,
                   ("违法地点", "{{place}}"), ("违法时间", "{{violation_date}}"),
                   ("适用职权事项", "{{power_code}} {{power_name}}"), ("法律依据", "{{legal_basis}}"),
                   ("简要案情及立案理由", "{{facts}}"),
                   ("承办人意见", "{{opinion}}"), ("承办人及执法证号", "{{officers}}"),
                   ("负责人审批意见", "{{approval}}")]),
        "线索编号：{{clue_number}}　登记时间：{{registered_at}}",
    ]),
    "inspection_record": ("现场检查笔录", [
        "案号：{{case_number}}",
        ("table", [("检查时间", "{{started_at}}"), ("检查地点", "{{place}}"), ("当事人", "{{party_name}}"),
                   ("在场人", "{{party_present}}"), ("执法人员及执法证号", "{{officers}}")]),
        "执法人员出示了执法证件，告知了当事人依法享有的陈述、申辩和申请回避的权利。",
        "检查情况：{{findings}}",
        "以上笔录经当事人核对无误。当事人签名：＿＿＿＿　执法人员签名：＿＿＿＿",
    ]),
    "inquiry_record": ("询问笔录", [
        "案号：{{case_number}}",
        ("table", [("询问时间", "{{date_time}}"), ("被询问人", "{{person}}"), ("案由", "{{title}}"),
                   ("询问人及执法证号", "{{officers}}")]),
        "我们是{{body_name}}的执法人员，已向你出示执法证件。你有陈述、申辩和申请回避的权利，也有如实回答询问的义务。",
        "{{content}}",
        "以上笔录已向被询问人宣读（或由其阅读），确认无误。被询问人签名：＿＿＿＿　询问人签名：＿＿＿＿",
    ]),
    "correction_order": ("责令改正通知书", [
        "{{number}}",
        "{{party_name}}：",
        "经查，你（单位）于{{violation_date}}在{{place}}{{title}}，违反了{{legal_basis}}的规定。",
        "根据《中华人民共和国行政处罚法》第二十八条第一款的规定，现责令你（单位）于{{correct_by}}前改正：",
        "{{requirement}}",
        "逾期不改正的，本机关将依法处理。",
        ("right", SIGNATURE),
    ]),
    "prior_notice": ("行政处罚事先告知书", [
        "{{number}}",
        "{{party_name}}：",
        "经查，你（单位）{{facts}}",
        "上述行为违反了{{legal_basis}}的规定。依据{{legal_basis}}的规定，本机关拟对你（单位）作出如下行政处罚：{{penalty}}。",
        "裁量说明：{{discretion}}",
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）可在收到本告知书之日起五个工作日内"
        "（{{rights_due}}前）向本机关提出陈述、申辩；逾期视为放弃。本机关不因你（单位）的陈述、申辩而加重处罚。",
        ("right", SIGNATURE),
    ]),
    "hearing_notice": ("行政处罚听证告知书", [
        "{{number}}",
        "{{party_name}}：",
        "本机关拟对你（单位）作出{{penalty}}的行政处罚。根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，"
        "你（单位）有权要求举行听证。如要求听证，应当在收到本告知书之日起五个工作日内（{{rights_due}}前）提出，"
        "逾期视为放弃听证权利。听证不收取费用。",
        ("right", SIGNATURE),
    ]),
    "decision": ("行政处罚决定书", [
        "{{number}}",
        ("table", PARTY_TABLE),
        "违法事实：{{facts}}",
        "证据：{{evidence}}",
        "陈述申辩及听证情况：{{statements}}",
        "本机关认为，当事人的上述行为违反了{{legal_basis}}的规定。裁量说明：{{discretion}}",
        "依据{{legal_basis}}的规定，本机关决定：{{decision}}",
        "{{performance_terms}}",
        REMEDY,
        ("right", SIGNATURE),
    ]),
    "spot_decision": ("当场行政处罚决定书", [
        "{{number}}",
        ("table", PARTY_TABLE),
        "违法行为：{{title}}（{{violation_date}}，{{place}}）",
        "依据{{legal_basis}}的规定，当场作出如下行政处罚：{{penalty}}",
        "罚款缴纳方式：{{payment}}",
        REMEDY,
        "执法人员及执法证号：{{officers}}　当事人签名：＿＿＿＿",
        ("right", SIGNATURE),
    ]),
    "service_receipt": ("送达回证", [
        "案号：{{case_number}}",
        ("table", [("送达文书", "{{documents}}"), ("受送达人", "{{party_name}}"), ("送达地点", "{{party_address}}"),
                   ("送达方式", "{{method}}"), ("送达时间", "{{served_at}}"), ("收件人", "{{recipient}}"),
                   ("送达人", "{{officers}}"), ("备注", "{{note}}")]),
        ("right", SIGNATURE),
    ]),
    "urge_notice": ("履行催告书", [
        "{{number}}",
        "{{party_name}}：",
        "本机关于{{decided_on}}作出{{decision_number}}行政处罚决定，你（单位）至今未履行。根据《中华人民共和国行政强制法》"
        "第三十五条的规定，现催告你（单位）于收到本催告书之日起十日内履行：{{decision}}；加处罚款{{late_fee}}元。",
        "你（单位）有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。",
        ("right", SIGNATURE),
    ]),
    "referral_letter": ("涉嫌犯罪案件移送书", [
        "{{number}}",
        "{{police_unit}}：",
        "本机关在查处{{party_name}}{{title}}一案中，发现其涉嫌{{offence}}。根据《行政执法机关移送涉嫌犯罪案件的规定》"
        "第三条、第六条的规定，现将该案移送你单位。",
        "附：调查报告、涉案物品清单、有关检验报告或者鉴定结论及其他有关材料。",
        ("right", SIGNATURE),
    ]),
    "seizure_decision": ("查封（扣押）决定书", [
        "{{number}}",
        "{{party_name}}：",
        "因{{reason}}，依据《中华人民共和国行政强制法》第二十四条、第二十五条的规定，本机关决定对下列财物（场所）"
        "采取{{measure}}措施，期限自{{start}}至{{end}}。",
        "物品清单：{{items}}",
        REMEDY,
        ("right", SIGNATURE),
    ]),
    "closing_report": ("结案报告", [
        "案号：{{case_number}}",
        ("table", [("案由", "{{title}}"), ("当事人", "{{party_name}}"), ("立案时间", "{{filed_at}}"),
                   ("处理结果", "{{decision}}"), ("决定书文号", "{{decision_number}}"), ("执行情况", "{{performance}}"),
                   ("承办人", "{{officers}}"), ("结案意见", "{{summary}}")]),
        ("right", SIGNATURE),
    ]),
}


def _font(run, size=12, bold=False):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "SimSun"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def build(kind: str) -> Document:
    title, blocks = TEMPLATES[kind]
    doc = Document()
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(head.add_run("{{body_name}}"), 16, bold=True)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(title), 18, bold=True)
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "table":
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in block[1]:
                cells = table.add_row().cells
                _font(cells[0].paragraphs[0].add_run(label), 11, bold=True)
                _font(cells[1].paragraphs[0].add_run(value), 11)
        elif isinstance(block, tuple) and block[0] == "right":
            for line in block[1]:
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _font(p.add_run(line))
        else:
            _font(doc.add_paragraph().add_run(block))
    return doc


def write_all(directory: Path = TEMPLATE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in TEMPLATES:
        path = directory / f"{kind}.docx"
        build(kind).save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all():
        print(written)
