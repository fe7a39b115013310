"""The shipped .docx templates, built in code: `python -m chengguan.enforcement.docxgen` rewrites them in
`templates/docx/`. Administrators may upload replacements (admin → document templates); a replacement may use
any of the {{placeholders}} listed in docs/enforcement.md. Placeholders are plain text in a paragraph or a
table cell, e.g. {{party_name}}.
"""

from pathlib import Path

TEMPLATE_DIR = Path(__file__).parent / "templates" / "docx"

PARTY_TABLE = [
    ("当事人", "{{party_name}}"),
    ("当事人类型", "{{party_type}}"),
    ("身份证件号码／统一社会信用代码", "{{party_id_number}}"),
    ("法定代表人（负责人）", "{{party_legal_rep}}"),
    ("住所（地址）", "{{party_address}}"),
    ("联系电话", "{{party_phone}}"),
]
REMEDY = (
    "如不服本决定，可以在收到本决定书之日起六十日内向{{review_authority}}申请行政复议，或者在六个月内依法向"
    "{{court}}提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。"
)
SIGNATURE = ("signature",)
RECORD_END = ("lines", [
    "以上笔录我已看过（或已向我宣读），与我所说（所见）相符。",
    "被询问人（当事人）签名：＿＿＿＿＿＿　　年　　月　　日",
    "执法人员签名：＿＿＿＿＿＿　＿＿＿＿＿＿　记录人签名：＿＿＿＿＿＿",
])

# kind → (title, blocks). A block is a paragraph string (first line indented), ("plain", text), ("table", rows),
# ("lines", [texts]) or SIGNATURE (the body's name and date with the seal's place).
TEMPLATES = {
    "filing_approval": ("立案审批表", [
        ("number", "案号：{{case_number}}"),
        ("table", [("案件来源", "{{source}}"), ("案由", "{{title}}"), *PARTY_TABLE,
                   ("违法地点", "{{place}}"), ("违法时间", "{{violation_date}}"),
                   ("适用职权事项", "{{power_code}} {{power_name}}"), ("违法条款", "{{violated_provision}}"),
                   ("处罚依据", "{{penalty_provision}}"), ("简要案情及立案理由", "{{facts}}"),
                   ("承办人意见", "{{opinion}}"), ("承办人及执法证号", "{{officers}}"),
                   ("负责人审批意见", "{{approval}}")]),
        ("plain", "线索编号：{{clue_number}}　登记时间：{{registered_at}}"),
    ]),
    "inspection_record": ("现场检查笔录", [
        ("number", "案号：{{case_number}}"),
        ("table", [("检查时间", "{{started_at}}至{{ended_at}}"), ("检查地点", "{{place}}"),
                   ("当事人", "{{party_name}}"), ("身份证件号码／统一社会信用代码", "{{party_id_number}}"),
                   ("住所（地址）", "{{party_address}}"), ("在场人", "{{party_present}}"),
                   ("检查人及执法证号", "{{officers}}"), ("记录人", "{{recorder}}")]),
        "我们是{{body_name}}的执法人员，已向你出示执法证件。你有陈述、申辩和申请执法人员回避的权利；"
        "你应当如实回答询问，协助调查，不得阻挠。",
        ("plain", "检查情况：{{findings}}"),
        RECORD_END,
    ]),
    "inquiry_record": ("询问笔录", [
        ("number", "案号：{{case_number}}"),
        ("table", [("询问时间", "{{started_at}}至{{ended_at}}"), ("询问地点", "{{inquiry_place}}"),
                   ("被询问人", "{{person}}"), ("被询问人身份", "{{person_identity}}"), ("案由", "{{title}}"),
                   ("询问人及执法证号", "{{officers}}"), ("记录人", "{{recorder}}")]),
        "问：我们是{{body_name}}的执法人员，已向你出示执法证件。你有陈述、申辩和申请执法人员回避的权利，"
        "也有如实回答询问的义务。你是否申请回避？",
        ("qa", "{{content}}"),
        RECORD_END,
    ]),
    "correction_order": ("责令改正通知书", [
        ("number", "{{number}}"),
        ("plain", "{{party_name}}："),
        "经查，你（单位）于{{violation_date}}在{{place}}{{title}}，违反了{{violated_provision}}的规定。",
        "根据《中华人民共和国行政处罚法》第二十八条第一款和{{penalty_provision}}的规定，现责令你（单位）于"
        "{{correct_by}}前改正：{{requirement}}",
        "逾期不改正的，本机关将依法处理。",
        SIGNATURE,
    ]),
    "prior_notice": ("行政处罚事先告知书", [
        ("number", "{{number}}"),
        ("plain", "{{party_name}}："),
        "经查，你（单位）{{facts}}",
        "上述行为违反了{{violated_provision}}的规定。依据{{penalty_provision}}的规定，本机关拟对你（单位）作出如下"
        "行政处罚：{{penalty}}。",
        "裁量说明：{{discretion}}",
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）可在收到本告知书之日起五个工作日内"
        "（{{rights_due}}前）向本机关提出陈述、申辩；逾期视为放弃。本机关不因你（单位）的陈述、申辩而加重处罚。",
        SIGNATURE,
    ]),
    "hearing_notice": ("行政处罚听证告知书", [
        ("number", "{{number}}"),
        ("plain", "{{party_name}}："),
        "你（单位）{{title}}，违反了{{violated_provision}}的规定。依据{{penalty_provision}}的规定，本机关拟对你（单位）"
        "作出{{penalty}}的行政处罚。根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求"
        "举行听证。如要求听证，应当在收到本告知书之日起五个工作日内（{{rights_due}}前）提出，逾期视为放弃听证权利。"
        "听证不收取费用。",
        SIGNATURE,
    ]),
    "decision": ("行政处罚决定书", [
        ("number", "{{number}}"),
        ("table", PARTY_TABLE),
        "违法事实：{{facts}}",
        "证据：{{evidence}}",
        "陈述申辩及听证情况：{{statements}}",
        "本机关认为，当事人的上述行为违反了{{violated_provision}}的规定。裁量说明：{{discretion}}",
        "依据{{penalty_provision}}的规定，本机关决定：{{decision}}",
        "{{performance_terms}}",
        REMEDY,
        SIGNATURE,
    ]),
    "spot_decision": ("当场行政处罚决定书", [
        ("number", "{{number}}"),
        ("table", PARTY_TABLE),
        "违法行为：{{title}}（{{violation_date}}，{{place}}），违反了{{violated_provision}}的规定。",
        "依据{{penalty_provision}}的规定，当场作出如下行政处罚：{{penalty}}",
        "罚款缴纳方式：{{payment}}",
        REMEDY,
        ("lines", ["执法人员及执法证号：{{officers}}", "当事人签名：＿＿＿＿＿＿　　年　　月　　日"]),
        SIGNATURE,
    ]),
    "service_receipt": ("送达回证", [
        ("number", "案号：{{case_number}}"),
        ("table", [("送达文书及文号", "{{documents}}"), ("受送达人", "{{party_name}}"), ("送达地点", "{{party_address}}"),
                   ("送达方式", "{{method}}"), ("送达时间", "{{served_at}}"),
                   ("受送达人签名或盖章", "{{recipient}}　　　　　年　　月　　日"),
                   ("代收人签名及代收理由", "　　　　　　　　　　　年　　月　　日"),
                   ("留置送达情况", "受送达人拒绝签收的事由及日期：＿＿＿＿＿＿；见证人签名：＿＿＿＿＿＿（或以拍照、录像记录送达过程）"),
                   ("送达人签名", "{{officers}}"), ("备注", "{{note}}")]),
        SIGNATURE,
    ]),
    "urge_notice": ("履行催告书", [
        ("number", "{{number}}"),
        ("plain", "{{party_name}}："),
        "本机关于{{decided_on}}作出{{decision_number}}行政处罚决定，你（单位）至今未履行。根据《中华人民共和国行政强制法》"
        "第三十五条、第四十五条的规定，现催告你（单位）于收到本催告书之日起十日内履行：{{decision}}；加处罚款{{late_fee}}元。",
        "你（单位）有权进行陈述和申辩。逾期仍不履行的，本机关将依照《中华人民共和国行政强制法》第五十三条的规定"
        "申请人民法院强制执行。",
        SIGNATURE,
    ]),
    "referral_letter": ("涉嫌犯罪案件移送书", [
        ("number", "{{number}}"),
        ("plain", "{{police_unit}}："),
        "本机关在查处{{party_name}}{{title}}一案中，发现其涉嫌{{offence}}。根据《行政执法机关移送涉嫌犯罪案件的规定》"
        "第三条、第六条的规定，现将该案移送你单位。",
        "附：调查报告、涉案物品清单、有关检验报告或者鉴定结论及其他有关材料。",
        SIGNATURE,
    ]),
    "seizure_decision": ("查封（扣押）决定书", [
        ("number", "{{number}}"),
        ("plain", "{{party_name}}："),
        "因{{reason}}，依据《中华人民共和国行政强制法》第二十四条、第二十五条的规定，本机关决定对下列财物（场所）"
        "采取{{measure}}措施，期限自{{start}}至{{end}}。",
        "物品清单：{{items}}",
        REMEDY,
        SIGNATURE,
    ]),
    "closing_report": ("结案报告", [
        ("number", "案号：{{case_number}}"),
        ("table", [("案由", "{{title}}"), ("当事人", "{{party_name}}"), ("立案时间", "{{filed_at}}"),
                   ("违法条款", "{{violated_provision}}"), ("处罚依据", "{{penalty_provision}}"),
                   ("处理结果", "{{decision}}"), ("决定书文号", "{{decision_number}}"), ("执行情况", "{{performance}}"),
                   ("承办人", "{{officers}}"), ("结案意见", "{{summary}}")]),
        SIGNATURE,
    ]),
}


def build(kind: str):
    """A template in the official layout (chengguan.core.office.docs): the body's name and the title in
    小标宋, the number, the text in 仿宋 三号, and the body's name and date where the seal is pressed."""
    from chengguan.core.office import docs as office  # python-docx on first use (~15 MB per process)

    title, blocks = TEMPLATES[kind]
    doc = office.new_document()
    office.heading(doc, "{{body_name}}")
    office.heading(doc, title)
    for block in blocks:
        if isinstance(block, str):
            office.paragraph(doc, block)
        elif block[0] == "number":
            office.number_line(doc, block[1])
        elif block[0] == "plain":
            office.plain(doc, block[1])
        elif block[0] == "table":
            office.table(doc, block[1])
        elif block[0] in ("lines", "qa"):
            office.lines(doc, block[1] if block[0] == "lines" else [block[1]])
        elif block[0] == "signature":
            office.signature(doc, "{{body_name}}", "{{date}}")
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
