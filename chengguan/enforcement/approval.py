"""执法案件审批表 (enforcement case approval form): the case as the leader signs it before the decision — the
party, facts, evidence, the provision violated and the penalty provision each in its row, the discretion, the
proposal with the fine in figures and 大写, the handlers' opinion, the legal review, the collective discussion and
the leader's approval. Like the 执法文书 (docxgen.py) it is a legal form and prints in Chinese whatever the
interface language; it is a page (print.css) and a PDF (`chengguan.core.office.sheets`)."""

from chengguan.core.office.sheets import Sheet

from .services.base import (
    cn_datetime,
    legal_basis_text,
    officers_text,
    penalty_text,
    violated_provision_text,
)
from .services.documents import rmb_upper

LEVELS = {"minor": "轻微", "general": "一般", "serious": "较重", "severe": "严重"}


def _event(case, act):
    return case.events.filter(act=act).select_related("actor").order_by("-at", "-pk").first()


def approval_sheet(case) -> Sheet:
    item = case.power_item
    concluded, decided = _event(case, "conclude_investigation"), _event(case, "decide")
    discussed = _event(case, "collective_discussion")
    reviews = "；".join(f"{r.get_opinion_display()}：{r.text}（{r.reviewer or ''} {cn_datetime(r.reviewed_at)}）"
                       for r in case.legal_reviews.select_related("reviewer") if r.opinion)  # fmt: skip
    fine = case.fine_amount if case.outcome else case.proposed_fine
    level = case.chosen_level or case.suggested_level
    discretion = "；".join(case.suggestion_reasons or [])
    if case.departure_reason:
        discretion += f"；偏离裁量基准的理由：{case.departure_reason}"
    party = "，".join(x for x in (case.party_name, case.get_party_type_display() if case.party_type else "",
                                  case.party_id_number) if x)  # fmt: skip
    rows = [
        ("案号", case.number or case.clue_number),
        ("案由", case.title),
        ("当事人", party),
        ("住所（地址）", case.party_address),
        ("违法地点及时间", f"{case.place}，{case.violation_date:%Y年%m月%d日}" if case.violation_date else case.place),
        ("违法事实", case.facts),
        ("证据", "、".join(e.description for e in case.evidence.all())),
        ("适用职权事项", f"{item.code} {item.name}" if item else ""),
        ("违法条款", violated_provision_text(item) if item else ""),
        ("处罚依据", legal_basis_text(item) if item else ""),
        ("裁量档次及情节", "；".join(x for x in (LEVELS.get(level, level), discretion) if x)),
        ("拟处理意见", penalty_text(case, fine) if case.proposed_outcome == "penalty" else "不予行政处罚"),
        ("罚款金额", f"{fine:,.2f}元（{rmb_upper(fine)}）" if fine else "无"),
        ("承办人意见", f"{concluded.reason}（{concluded.actor} {cn_datetime(concluded.at)}）" if concluded else ""),
        ("承办人及执法证号", officers_text(case)),
        ("法制审核意见", reviews or ("不属于重大执法决定，无需法制审核" if not case.is_major else "")),
        ("集体讨论意见", f"{discussed.reason}（{cn_datetime(discussed.at)}）" if discussed else
         ("" if case.is_complex or case.is_major else "无需集体讨论")),
        ("负责人审批意见", f"{decided.reason}（{decided.actor} {cn_datetime(decided.at)}）" if decided else ""),
    ]
    return Sheet(title="执法案件审批表", body=case.body.name, number=f"案号：{case.number or case.clue_number}",
                 rows=rows, filename=f"approval-{case.pk}",
                 signatures=["承办人签名：＿＿＿＿＿＿　审核人签名：＿＿＿＿＿＿　负责人签名：＿＿＿＿＿＿"])
