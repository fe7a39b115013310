"""案卷评查: a scoring sheet for closed case files, with hints the system can check by itself."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import PermissionDenied, ValidationError

from ..audit import audit_append
from ..models import CaseFileReview, State
from ..permissions import covering_roles
from .base import SUBJECT

# (code, label, maximum points); the sheet totals 100.
CRITERIA = [
    ("subject", _("lawful body and certified officers"), 10),
    ("facts", _("facts clear, evidence sufficient and lawful"), 25),
    ("law", _("law applied correctly"), 15),
    ("procedure", _("lawful procedure and deadlines"), 25),
    ("discretion", _("appropriate use of discretion"), 10),
    ("documents", _("complete and correct documents"), 10),
    ("archive", _("file complete and in order"), 5),
]
GRADES = [(90, "excellent"), (80, "good"), (60, "pass"), (0, "fail")]
GRADE_LABELS = {"excellent": _("excellent"), "good": _("good"), "pass": _("pass"), "fail": _("fail")}
REVIEWERS = {"legal_reviewer", "leader"}


def review_hints(case) -> list[str]:
    """What the system itself notices in the file (shown next to the sheet)."""
    hints = []
    late = case.events.filter(late=True).count()
    if late:
        hints.append(f"{late} 个环节超过法定期限办理（已记录理由）")
    if case.departure_reason:
        hints.append(f"处罚金额偏离裁量基准，理由：{case.departure_reason}")
    if case.procedure == "ordinary" and case.outcome == "penalty":
        kinds = set(case.documents.values_list("kind", flat=True))
        for kind, label in (("filing_approval", "立案审批表"), ("prior_notice", "行政处罚事先告知书"),
                            ("decision", "行政处罚决定书"), ("service_receipt", "送达回证")):
            if kind not in kinds:
                hints.append(f"缺少{label}")
        if not case.events.filter(act__in=("record_inspection", "record_inquiry")).exists():
            hints.append("无现场检查笔录或询问笔录")
    if case.is_major and not case.legal_reviews.filter(opinion="approve").exists():
        hints.append("重大案件未经法制审核")
    return hints


@transaction.atomic
def case_file_review(*, actor, case, scores: dict, comments: str = "", now=None) -> CaseFileReview:
    now = now or timezone.now()
    if not covering_roles(actor, region=case.region, department=case.department) & REVIEWERS:
        raise PermissionDenied(gettext("case files are reviewed by legal reviewers or leaders"), field="actor")
    if case.state not in (State.CLOSED, State.ARCHIVED):
        raise ValidationError(gettext("only closed case files are reviewed"), field="case")
    if actor.pk in case.officer_ids():
        raise PermissionDenied(gettext("a handler may not review their own case file"), field="actor")
    clean, total = {}, Decimal(0)
    for code, _label, maximum in CRITERIA:
        raw = scores.get(code)
        try:
            value = Decimal(str(raw))
        except ArithmeticError as exc:
            raise ValidationError(gettext("%(field)s must be a number") % {"field": code}, field=code) from exc
        if not 0 <= value <= maximum:
            raise ValidationError(gettext("%(field)s must be between 0 and %(max)s") % {"field": code, "max": maximum}, field=code)
        clean[code] = str(value)
        total += value
    grade = next(name for floor, name in GRADES if total >= floor)
    review = CaseFileReview.objects.create(case=case, reviewer=actor, reviewed_at=now, scores=clean, total=total,
                                           grade=grade, comments=comments)
    audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk, act="file_review", at=now,
                 payload={"case": case.reference, "scores": clean, "total": str(total), "grade": grade})
    return review
