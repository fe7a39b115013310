"""The common frame of every act: guard state → check who → lock → save → event row → audit record →
signal on commit. Each act's own service function (in the sibling modules) adds the statutory guards."""

import re
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.core.office.numerals import cn_articles, provision

from .. import needs
from ..audit import audit_append
from ..models import CaseEvent, CaseOfficer, EnforcementCase
from ..permissions import check_actor, check_co_officer
from ..signals import case_event_recorded
from ..workflow import ACTS
from .documents import document_generate, rmb_upper

SUBJECT = "enforcement.case"
PENALTY_KINDS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_permit": "暂扣许可证件",
    "lower_qualification": "降低资质等级",
    "revoke_permit": "吊销许可证件",
    "restrict_business": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "close_down": "责令关闭",
    "restrict_practice": "限制从业",
}
# 行政处罚法第63条: these kinds always carry the right to a hearing; large fines depend on the body's threshold.
HEARING_KINDS = {"lower_qualification", "revoke_permit", "suspend_business", "close_down", "restrict_practice"}
MAJOR_KINDS = {"revoke_permit", "suspend_business", "close_down"}


def cn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local)}{local:%H:%M}"


def money(value) -> str:
    value = Decimal(value or 0)
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def legal_basis_text(item) -> str:
    """The penalty provision (处罚依据, 罚则) of a power item, article numbers in Chinese numerals."""
    if item is None:
        return ""
    if item.law and item.article:
        return provision(item.law, item.article, item.paragraph)
    return cn_articles(item.legal_basis)


_VIOLATED = re.compile(r"^\s*(\d+)\s*(?:\((\d+)\))?\s*$")


def violated_provision_text(item) -> str:
    """The provision violated (违法条款): `violated_provision` ("27(1)" → the law's 第二十七条第（一）项, or a full
    citation); when empty the penalty article itself forbids the act (e.g. 市容条例第三十四条), and is cited."""
    if item is None:
        return ""
    text = (item.violated_provision or "").strip()
    if not text and item.legal_basis:  # "道路条例 42 (27(1))": the bracket names the provision violated
        from .powers import parse_legal_basis

        text = parse_legal_basis(item.legal_basis)["violated_provision"]
    if not text:
        return legal_basis_text(item)
    if m := _VIOLATED.match(text):
        return provision(item.law, m[1], m[2] or "")
    return cn_articles(text if text.startswith("《") else f"{item.law}{text}")


def penalty_text(case: EnforcementCase, fine: Decimal | None = None) -> str:
    fine = case.fine_amount if fine is None else fine
    parts = []
    for kind in case.penalty_kinds or []:
        if kind == "fine":
            parts.append(f"罚款人民币{money(fine)}元（{rmb_upper(fine)}）")
        else:
            parts.append(PENALTY_KINDS.get(kind, kind))
    return "；".join(parts) or "不予行政处罚"


def officers_text(case: EnforcementCase) -> str:
    return "、".join(f"{o.user}（执法证号{o.certificate_number}）" for o in case.officers.select_related("user"))


def case_context(case: EnforcementCase, now, **extra) -> dict:
    item = case.power_item
    return {
        "body_name": case.body.name,
        "clue_number": case.clue_number,
        "source": case.get_source_display(),
        "title": case.title,
        "party_name": case.party_name,
        "party_type": case.get_party_type_display() if case.party_type else "",
        "party_id_number": case.party_id_number,
        "party_legal_rep": case.party_legal_rep,
        "party_address": case.party_address,
        "party_phone": case.party_phone,
        "place": case.place,
        "violation_date": cn_date(case.violation_date),
        "facts": case.facts,
        "power_code": item.code if item else "",
        "power_name": item.name if item else "",
        "legal_basis": legal_basis_text(item),
        "penalty_provision": legal_basis_text(item),
        "violated_provision": violated_provision_text(item),
        "penalty": penalty_text(case, case.proposed_fine if case.outcome == "" else case.fine_amount),
        "fine_upper": rmb_upper(case.fine_amount),
        "decision": case.decision_text or penalty_text(case),
        "decision_number": case.decision_number,
        "decided_on": cn_date(case.decided_at),
        "discretion": "；".join(case.suggestion_reasons or [])
        + (f"；偏离裁量基准的理由：{case.departure_reason}" if case.departure_reason else ""),
        "rights_due": cn_date(case.rights_due),
        "bank": case.body.bank or "指定银行",
        "review_authority": case.body.review_authority or "本级人民政府",
        "court": case.body.court or "有管辖权的人民法院",
        "officers": officers_text(case),
        "registered_at": cn_datetime(case.registered_at),
        "filed_at": cn_date(case.filed_at),
        "evidence": "、".join(e.description for e in case.evidence.all()) or "现场检查笔录、询问笔录等",
        "date": cn_date(now),
        "date_time": cn_datetime(now),
        **{k: ("" if v is None else v) for k, v in extra.items()},
    }


def _plain(value):
    if hasattr(value, "pk") and hasattr(value, "username"):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, Decimal | datetime):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


class Act:
    """One act in progress on a locked case. Create inside `transaction.atomic()`."""

    def __init__(self, *, actor, case: EnforcementCase, code: str, now=None, co_officer=None,
                 authorised_as: str | None = None):
        """`authorised_as`: the caller has already checked the actor for this act in that role (the police
        liaison answering a referral addressed to its unit); the enforcement-role check is skipped."""
        self.spec = ACTS[code]
        self.code = code
        self.actor = actor
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now).date()
        self.case = (
            EnforcementCase.objects.select_for_update(of=("self",))
            .select_related("body", "department", "region", "power_item")
            .get(pk=case.pk)
        )
        if self.case.state not in self.spec.sources:
            raise Conflict(
                _("%(act)s is not allowed while the case is: %(state)s")
                % {"act": self.spec.label, "state": self.case.get_state_display()},
                field="act",
                code="illegal_transition",
            )
        if authorised_as:
            self.role, self.certificate = authorised_as, ""
        else:
            self.role, self.certificate = check_actor(actor, self.case, self.spec, self.today)
        self.co_officer, self.co_certificate = co_officer, ""
        if self.spec.two_officers:
            self.co_certificate = check_co_officer(actor, co_officer, self.case, self.today)
        self.from_state = self.case.state
        self.files: list[dict] = []
        self.documents = []
        self.late = False

    def require(self, condition: bool, message: str, *, field: str, code: str = "invalid") -> None:
        if not condition:
            raise ValidationError(message, field=field, code=code)

    def refuse(self, message: str, *, field: str, code: str = "conflict"):
        raise Conflict(message, field=field, code=code)

    def on_time(self, deadline, late_reason: str | None, what: str) -> None:
        """A deadline that cannot stop the act (the duty remains): acting late needs a recorded reason."""
        if deadline is not None and self.now > deadline:
            if not late_reason:
                raise Conflict(
                    _("the deadline to %(what)s passed at %(time)s; record the reason for the delay")
                    % {"what": what, "time": f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"},
                    field="late_reason",
                    code="deadline_passed",
                )
            self.late = True

    def document(self, kind: str, **extra):
        needs.check(kind, self.case, extra)
        if self.co_officer is not None:  # the second officer of a two-officer act records (记录人)
            extra.setdefault("recorder", f"{self.co_officer}（执法证号{self.co_certificate}）")
        context = case_context(self.case, self.now, **extra)
        doc, entry = document_generate(case=self.case, kind=kind, actor=self.actor, now=self.now, context=context)
        self.documents.append(doc)
        self.files.append(entry)
        return doc

    def assign_officers(self) -> None:
        """The officers of a two-officer act become the case's handlers (承办人)."""
        existing = set(self.case.officers.values_list("user_id", flat=True))
        lead = not existing
        for user, cert in ((self.actor, self.certificate), (self.co_officer, self.co_certificate)):
            if user is not None and cert and user.pk not in existing:
                CaseOfficer.objects.create(
                    case=self.case, user=user, certificate_number=cert, is_lead=lead, assigned_at=self.now
                )
                existing.add(user.pk)
                lead = False

    def done(self, *, to: str | None = None, fields=(), reason: str = "", deadline=None, payload: dict | None = None):
        if to is not None and to != self.from_state and to not in self.spec.targets:
            raise Conflict(_("%(act)s cannot lead to %(state)s") % {"act": self.spec.label, "state": to}, field="act", code="illegal_transition")
        case = self.case
        if to is not None:
            case.state = to
        case.last_act_at = self.now
        update = {"state", "last_act_at", "number", *fields}
        case.save(update_fields=sorted(update))
        if self.spec.two_officers:
            self.assign_officers()
        event = CaseEvent.objects.create(
            case=case,
            act=self.code,
            from_state=self.from_state,
            to_state=case.state,
            actor=self.actor,
            actor_role=self.role,
            actor_certificate=self.certificate,
            co_officer=self.co_officer,
            co_officer_certificate=self.co_certificate,
            at=self.now,
            deadline=deadline,
            late=self.late,
            reason=reason,
            payload=_plain({**(payload or {}), "documents": [d.number or d.kind for d in self.documents]}),
        )
        record = audit_append(
            actor=self.actor,
            subject_type=SUBJECT,
            subject_id=case.pk,
            act=self.code,
            at=self.now,
            payload={
                "case": case.reference,
                "from": self.from_state,
                "to": case.state,
                "role": self.role,
                "certificate": self.certificate,
                "co_officer": self.co_officer.pk if self.co_officer else None,
                "co_certificate": self.co_certificate,
                "late": self.late,
                "reason": reason,
                "event": event.pk,
                "data": event.payload,
            },
            files=self.files,
        )
        event.audit_seq = record.seq
        event.save(update_fields=["audit_seq"])
        for doc in self.documents:
            doc.audit_seq = record.seq
            doc.save(update_fields=["audit_seq"])
        transaction.on_commit(lambda: case_event_recorded.send(sender=CaseEvent, event=event))
        return event

