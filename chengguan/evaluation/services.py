"""State changes of the evaluation app: assessment records, evidence, accountability, red-light notices.

Each is one function with keyword-only arguments and the actor first; permission and input are checked
before anything is written, rows are locked where a concurrent change could interfere, and everything is in
one transaction (nothing half-written).
"""

import hashlib
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from chengguan.cases.models import Case
from chengguan.cases.services import case_act
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.core.workcalendar import add_working_time
from chengguan.org.models import Region

from . import notices
from .access import Viewer, can_assess, can_issue_notices
from .models import (
    NOTICE_ORDER,
    AccountabilityAction,
    AccountabilityKind,
    AssessmentEvidence,
    AssessmentItem,
    AssessmentRecord,
    AssessmentSettings,
    FoundBy,
    NoticeCounter,
    NoticeLevel,
    RedLightNotice,
    Target,
)

EVIDENCE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/pdf",
    "video/mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def _need_assessor(actor):
    if not can_assess(actor):
        raise PermissionDenied("Only leaders and administrators record assessments.")


def _target_in_scope(actor, *, street, department):
    viewer = Viewer(actor)
    if street is not None and not viewer.covers_region(street):
        raise NotFound("No such street.", field="street")
    if department is not None and not viewer.covers_department(department):
        raise NotFound("No such department.", field="department")


def _check_target(item: AssessmentItem, street: Region | None, department) -> None:
    if (street is None) == (department is None):
        raise ValidationError("Choose either a street or a department.", field="street")
    if street is not None and street.level != Region.Level.STREET:
        raise ValidationError("Streets (and towns) are assessed, not other region levels.", field="street")
    if street is not None and item.applies_to == Target.DEPARTMENT:
        raise ValidationError("This item applies to departments.", field="item")
    if department is not None and item.applies_to == Target.STREET:
        raise ValidationError("This item applies to streets.", field="item")


def assessment_record(
    *,
    actor,
    item: AssessmentItem,
    occurred_on,
    found_by: str,
    description: str,
    street: Region | None = None,
    department=None,
    quantity: int = 1,
    case: Case | None = None,
    at: datetime | None = None,
) -> AssessmentRecord:
    """Record an occurrence; its points are item points × quantity, with no cap and no floor."""
    _need_assessor(actor)
    at = at or timezone.now()
    if item is None or not item.is_active:
        raise ValidationError("Choose an active assessment item.", field="item")
    _check_target(item, street, department)
    _target_in_scope(actor, street=street, department=department)
    if found_by not in FoundBy.values:
        raise ValidationError(f"Unknown way of finding {found_by!r}.", field="found_by")
    if not isinstance(quantity, int) or quantity < 1:
        raise ValidationError("The number of occurrences is at least 1.", field="quantity")
    if occurred_on > timezone.localdate(at):
        raise ValidationError("The occurrence date is in the future.", field="occurred_on")
    description = (description or "").strip()
    if not description:
        raise ValidationError("Describe what was found.", field="description")
    return AssessmentRecord.objects.create(
        item=item,
        street=street,
        department=department,
        occurred_on=occurred_on,
        found_by=found_by,
        quantity=quantity,
        points=item.points * quantity,
        description=description,
        case=case,
        recorded_by=actor,
        recorded_at=at,
    )


def assessment_cancel(*, actor, record: AssessmentRecord, reason: str, at: datetime | None = None):
    _need_assessor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason.", field="reason")
    with transaction.atomic():
        locked = AssessmentRecord.objects.select_for_update().get(pk=record.pk)
        if locked.status != AssessmentRecord.Status.VALID:
            raise Conflict("The record is already cancelled.", field="status")
        locked.status = AssessmentRecord.Status.CANCELLED
        locked.cancelled_by, locked.cancelled_at, locked.cancel_reason = actor, at or timezone.now(), reason
        locked.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    return locked


def evidence_attach(
    *, actor, record: AssessmentRecord, file, at: datetime | None = None
) -> AssessmentEvidence:
    _need_assessor(actor)
    content_type = getattr(file, "content_type", "") or ""
    if content_type not in EVIDENCE_TYPES:
        raise ValidationError(
            "Attach a photo (JPEG, PNG, WebP), a PDF, a Word file or an MP4 video.", field="file"
        )
    size = getattr(file, "size", 0) or 0
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError("The file is larger than 20 MB.", field="file")
    digest = hashlib.sha256()
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        digest.update(chunk)
    if hasattr(file, "seek"):
        file.seek(0)
    return AssessmentEvidence.objects.create(
        record=record,
        file=file,
        original_name=(getattr(file, "name", "") or "")[:200],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        uploaded_at=at or timezone.now(),
    )


def accountability_record(
    *,
    actor,
    kind: str,
    reason: str,
    decided_on,
    street: Region | None = None,
    department=None,
    person: str = "",
    record: AssessmentRecord | None = None,
    notice: RedLightNotice | None = None,
    at: datetime | None = None,
) -> AccountabilityAction:
    _need_assessor(actor)
    if kind not in AccountabilityKind.values:
        raise ValidationError(f"Unknown accountability action {kind!r}.", field="kind")
    if street is None and department is None:
        raise ValidationError("Say who is held accountable (a street or a department).", field="street")
    _target_in_scope(actor, street=street, department=department)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason.", field="reason")
    return AccountabilityAction.objects.create(
        kind=kind,
        street=street,
        department=department,
        person=(person or "").strip()[:100],
        reason=reason,
        decided_on=decided_on,
        decided_by=actor,
        record=record,
        notice=notice,
        created_at=at or timezone.now(),
    )


# ---- red-light (overdue) notices ---------------------------------------------------------------------------


def _next_number(at: datetime) -> str:
    year = timezone.localtime(at).year
    counter, _created = NoticeCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"HD{year}-{counter.last:05d}"


def _days_for(level: str, settings: AssessmentSettings) -> Decimal:
    return {
        NoticeLevel.URGE: settings.urge_days,
        NoticeLevel.SUPERVISE: settings.supervise_days,
        NoticeLevel.REFERRAL: settings.referral_days,
    }[level]


NOTICE_TEXT = {
    NoticeLevel.URGE: "催办通知书：案卷 {number}（{matter}）已超过{step}时限（{deadline}），请于 {due} 前处置完毕并反馈。",
    NoticeLevel.SUPERVISE: "督办通知书：案卷 {number}（{matter}）经催办仍逾期未处置，责令于 {due} 前整改到位。",
    NoticeLevel.REFERRAL: "移送函：案卷 {number}（{matter}）经催办、督办仍逾期未改正，移送区监察部门责令限期改正或启动问责（{due} 前回复）。",
}
STEP_NAMES = {
    "handle": "处置",
    "dispatch": "派遣",
    "file": "立案",
    "accept": "受理",
    "check": "核查",
    "verify": "核实",
    "close": "结案",
}


def _is_red(case: Case, at: datetime) -> bool:
    return case.is_open and case.deadline is not None and case.deadline < at


def red_light_issue(
    *, actor, case: Case, level: str | None = None, reason: str = "", at: datetime | None = None
) -> RedLightNotice:
    """Issue the next notice for a red-light case: urge, then supervise, then referral to the supervision office.

    `actor=None` is the sweeper. A person's urging or supervision notice is also recorded on the case (its
    `urge` / `supervise` action) so that the case history shows it.
    """
    at = at or timezone.now()
    if actor is not None and not can_issue_notices(actor):
        raise PermissionDenied("Only dispatchers, leaders and administrators issue notices.")
    if actor is not None:
        from chengguan.cases.selectors import visible_cases

        if not visible_cases(actor).filter(pk=case.pk).exists():
            raise NotFound("No such case.", field="case")
    settings = AssessmentSettings.current()
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).select_related("matter").get(pk=case.pk)
        if not _is_red(locked, at):
            raise Conflict(
                "The case is not overdue: no red-light notice is due.", field="case", code="not_overdue"
            )
        current = RedLightNotice.objects.select_for_update().filter(case=locked, status="open").first()
        chain_level = current.level if current else _last_level(locked, locked.step_started_at)
        wanted = _next_level(chain_level)
        if level is not None and level != wanted:
            raise ValidationError(f"The next notice for this case is {wanted}, not {level}.", field="level")
        if wanted is None:
            raise Conflict("The case has been referred already.", field="level", code="already_referred")
        if current is not None:
            current.status, current.resolved_at = RedLightNotice.Status.ESCALATED, at
            current.save(update_fields=["status", "resolved_at"])
        due = add_working_time(at, float(_days_for(wanted, settings)), "working_days")
        text = NOTICE_TEXT[wanted].format(
            number=locked.number,
            matter=locked.matter.name,
            step=STEP_NAMES.get(locked.step, locked.step),
            deadline=timezone.localtime(locked.deadline).strftime("%Y-%m-%d %H:%M"),
            due=timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
        )
        if reason:
            text = f"{text}\n{reason.strip()}"
        try:
            with transaction.atomic():
                notice = RedLightNotice.objects.create(
                    number=_next_number(at),
                    case=locked,
                    level=wanted,
                    department=locked.current_department,
                    step=locked.step,
                    step_deadline=locked.deadline,
                    text=text,
                    issued_at=at,
                    issued_by=actor,
                    deadline=due,
                    previous=current,
                )
        except IntegrityError as exc:
            raise Conflict("Another notice was issued for this case just now.", field="case") from exc
        notices.tell(notice)
        if actor is not None and wanted in (NoticeLevel.URGE, NoticeLevel.SUPERVISE):
            # A person's notice is also their urge / supervise act on the case (the case sweeper already
            # records automatic ones, so the automatic notices do not act on the case a second time).
            case_act(
                actor=actor,
                case=locked,
                action="urge" if wanted == NoticeLevel.URGE else "supervise",
                at=at,
                reason=notice.number,
            )
    return notice


def _last_level(case: Case, since) -> str | None:
    """The level of the latest notice for the case's current step (an escalated chain continues)."""
    qs = RedLightNotice.objects.filter(case=case)
    if since is not None:
        qs = qs.filter(issued_at__gte=since)
    last = qs.order_by("-issued_at", "-pk").first()
    return last.level if last and last.status != RedLightNotice.Status.COMPLIED else None


def _next_level(level: str | None) -> str | None:
    if level is None:
        return NOTICE_ORDER[0]
    i = NOTICE_ORDER.index(level)
    return NOTICE_ORDER[i + 1] if i + 1 < len(NOTICE_ORDER) else None


def red_light_sweep(*, now: datetime, limit: int = 500) -> dict:
    """Close notices whose case is no longer red (complied); escalate open notices past their deadline whose case
    is still red; issue an urging notice for red cases without one. Idempotent: a second run finds nothing."""
    complied = escalated = urged = 0
    for notice in RedLightNotice.objects.filter(status="open").select_related("case")[:limit]:
        case = notice.case
        if not _is_red(case, now) or case.step != notice.step or case.deadline != notice.step_deadline:
            n = RedLightNotice.objects.filter(pk=notice.pk, status="open").update(
                status=RedLightNotice.Status.COMPLIED, resolved_at=now
            )
            complied += n
        elif notice.deadline < now and notice.level != NoticeLevel.REFERRAL:
            try:
                red_light_issue(actor=None, case=case, at=now)
                escalated += 1
            except (Conflict, ValidationError):
                continue
    red = (
        Case.objects.filter(is_open=True, deadline__lt=now)
        .exclude(pk__in=RedLightNotice.objects.filter(status="open").values("case_id"))
        .order_by("deadline")[:limit]
    )
    for case in red:
        if _last_level(case, case.step_started_at) is not None:
            continue  # this step's chain ended with a referral already
        try:
            red_light_issue(actor=None, case=case, at=now)
            urged += 1
        except (Conflict, ValidationError):
            continue
    return {"complied": complied, "escalated": escalated, "urged": urged}
