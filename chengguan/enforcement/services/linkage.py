"""Judicial linkage that closes (两法衔接): the police liaison receives the referrals addressed to its unit and
answers them; an overdue police reply escalates to the bureau's leaders and is copied to the procuratorate
(检察监督, dated and numbered); case briefings (案情通报) go to the police unit and the court liaison."""

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.org.models import Department, RoleAssignment
from chengguan.org.scope import department_paths, has_role, sees_everything

from ..audit import audit_append
from ..models import CaseBriefing, CriminalReferral, EnforcementCase, ProcuratorateRecord, State
from ..permissions import covering_roles
from ..workflow import LEADER, LEGAL, OFFICER
from .base import SUBJECT
from .documents import next_number
from .referral import apply_police_reply

POLICE = "police"
COPY_SERIES = "检抄"
BRIEFING_SERIES = "通报"


# ---- the police liaison's view: only what is addressed to its unit ------------------------------------------


def _police_q(user, field: str) -> Q:
    if sees_everything(user):  # the system administrator reads every unit's page (and answers none)
        return Q()
    paths = department_paths(user, [POLICE])
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for p in paths:
        q |= Q(**{f"{field}__path__startswith": p})
    return q


def police_referrals(user):
    """Referrals handed over to a police unit the user is the liaison of (role `police`); nothing else."""
    return (CriminalReferral.objects.filter(_police_q(user, "police_department"), handed_over_at__isnull=False)
            .select_related("case", "case__body", "police_department").order_by("-handed_over_at"))


def police_briefings(user):
    return CaseBriefing.objects.filter(_police_q(user, "police_department")).select_related("case", "case__body")


def police_referral(user, pk) -> CriminalReferral:
    try:
        return police_referrals(user).get(pk=pk)
    except (CriminalReferral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _require_police(actor) -> None:
    if not has_role(actor, POLICE):
        raise PermissionDenied(_("only the police unit's liaison answers for it"), field="actor")


def may_download_package(user, referral: CriminalReferral) -> bool:
    case = referral.case
    if covering_roles(user, region=case.region, department=case.department) & {OFFICER, LEGAL, LEADER}:
        return True
    return police_referrals(user).filter(pk=referral.pk).exists()


@transaction.atomic
def referral_acknowledge(*, actor, referral: CriminalReferral, now=None) -> CriminalReferral:
    """The police unit confirms receipt of the referral (签收)."""
    now = now or timezone.now()
    _require_police(actor)
    referral = police_referral(actor, referral.pk)
    referral = CriminalReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.acknowledged_at is None:
        referral.acknowledged_at, referral.acknowledged_by = now, actor
        referral.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_append(actor=actor, subject_type=SUBJECT, subject_id=referral.case_id, act="police_acknowledge",
                     at=now, payload={"case": referral.case.reference, "referral": referral.pk})
    return referral


@transaction.atomic
def referral_police_reply(*, actor, referral: CriminalReferral, accepted: bool, text: str, now=None):
    """The police unit's decision (立案 or 不予立案, 第8条), entered by its liaison: it ends the referral."""
    from .base import Act

    _require_police(actor)
    referral = police_referral(actor, referral.pk)
    if referral.replied_at is not None:
        raise Conflict(_("this referral has been answered already"), field="referral", code="already_answered")
    act = Act(actor=actor, case=referral.case, code="record_police_reply", now=now, authorised_as=POLICE)
    referral = CriminalReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.acknowledged_at is None:
        referral.acknowledged_at, referral.acknowledged_by = act.now, actor
        referral.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return apply_police_reply(act, referral, text=text, accepted=accepted)


# ---- escalation of an overdue police reply ------------------------------------------------------------------


def leaders_of(case: EnforcementCase) -> set[int]:
    """The leaders (role `leader`) whose region or department covers the case: the bureau's leadership."""
    out = set()
    for a in RoleAssignment.objects.filter(role=LEADER).select_related("region", "department"):
        if (a.region_id and case.region.path.startswith(a.region.path)) or (
            a.department_id and case.department.path.startswith(a.department.path)
        ):
            out.add(a.user_id)
    return out


def overdue_referrals(now):
    return CriminalReferral.objects.filter(handed_over_at__isnull=False, replied_at__isnull=True,
                                           reply_due__lt=now, case__state=State.REFERRED)


@transaction.atomic
def referral_escalate(referral: CriminalReferral, *, now=None) -> ProcuratorateRecord | None:
    """Escalate one overdue referral once: a notice to the bureau's leaders and the copy to the procuratorate,
    recorded as 检察监督 with its date and document number. Returns the record (None if already escalated)."""
    from chengguan.cases.notify import remind

    now = now or timezone.now()
    referral = CriminalReferral.objects.select_for_update().select_related("case", "case__body",
                                                                          "case__region", "case__department").get(
        pk=referral.pk)
    if referral.escalated_at is not None or referral.replied_at is not None:
        return None
    case, body = referral.case, referral.case.body
    today = timezone.localdate(now)
    number = next_number(body, COPY_SERIES, today.year)
    record = ProcuratorateRecord.objects.create(
        referral=referral, kind=ProcuratorateRecord.Kind.COPY, procuratorate=body.procuratorate or _("the procuratorate at the same level"),
        dated=today, document_number=number, recorded_at=now,
        note=_("The police unit %(unit)s has not decided on the referral of %(case)s (due %(due)s); copy sent for "
               "supervision of case filing.") % {"unit": referral.police_unit, "case": case.reference,
                                                  "due": timezone.localtime(referral.reply_due).strftime("%Y-%m-%d %H:%M")},
    )
    referral.escalated_at = now
    referral.save(update_fields=["escalated_at"])
    audit_append(actor=None, subject_type=SUBJECT, subject_id=case.pk, act="escalate_referral", at=now,
                 payload={"case": case.reference, "referral": referral.pk, "police_unit": referral.police_unit,
                          "reply_due": referral.reply_due, "procuratorate": record.procuratorate,
                          "document_number": number})
    text = _("%(case)s: the police unit %(unit)s did not decide on the criminal referral by %(due)s. It is copied "
             "to %(proc)s (%(number)s); urge the police unit.") % {
        "case": case.reference, "unit": referral.police_unit, "proc": record.procuratorate, "number": number,
        "due": timezone.localtime(referral.reply_due).strftime("%Y-%m-%d")}
    remind(key=f"referral-escalated:{referral.pk}", text=text, at=now,
           link=reverse("enforcement:detail", args=[case.pk]), user_ids=leaders_of(case) | case.officer_ids())
    return record


def run_escalations(now=None) -> int:
    """The job: escalate every referral whose police reply is overdue. Returns how many were escalated."""
    from django.conf import settings
    from django.utils import translation

    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        done = 0
        for referral in overdue_referrals(now).filter(escalated_at__isnull=True):
            done += referral_escalate(referral, now=now) is not None
        return done


@transaction.atomic
def procuratorate_record_add(*, actor, referral: CriminalReferral, kind: str, procuratorate: str, dated: date,
                             document_number: str, note: str = "", now=None) -> ProcuratorateRecord:
    """Record the procuratorate's act on a referral (立案监督, 检察建议) with its date and document number."""
    case = referral.case
    if not covering_roles(actor, region=case.region, department=case.department) & {LEADER, LEGAL}:
        raise PermissionDenied(_("leaders and legal reviewers of the case record the procuratorate's acts"),
                               field="actor")
    if kind not in ProcuratorateRecord.Kind.values:
        raise ValidationError(_("unknown kind"), field="kind")
    if not (procuratorate or "").strip():
        raise ValidationError(_("name the procuratorate"), field="procuratorate")
    if not (document_number or "").strip():
        raise ValidationError(_("the document number is required"), field="document_number")
    now = now or timezone.now()
    if dated is None or dated > timezone.localdate(now):
        raise ValidationError(_("the date cannot be in the future"), field="dated")
    record = ProcuratorateRecord.objects.create(referral=referral, kind=kind, procuratorate=procuratorate.strip(),
                                                dated=dated, document_number=document_number.strip(),
                                                note=note.strip(), recorded_at=now, recorded_by=actor)
    audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk, act="procuratorate_record", at=now,
                 payload={"case": case.reference, "kind": kind, "document_number": record.document_number})
    return record


# ---- case briefings (案情通报) -----------------------------------------------------------------------------------


@transaction.atomic
def case_brief(*, actor, case: EnforcementCase, subject: str, text: str, police_department: Department | None = None,
               court: str = "", now=None) -> CaseBriefing:
    """Send the facts of a case to the police unit and/or the court liaison, numbered in the body's series."""
    if not covering_roles(actor, region=case.region, department=case.department) & {OFFICER, LEADER, LEGAL}:
        raise PermissionDenied(_("officers, legal reviewers and leaders of the case send briefings"), field="actor")
    if police_department is not None and police_department.kind != Department.Kind.POLICE:
        raise ValidationError(_("choose a police unit"), field="police_department")
    if police_department is None and not (court or "").strip():
        raise ValidationError(_("choose a police unit or name the court liaison"), field="police_department")
    if not (subject or "").strip():
        raise ValidationError(_("the subject is required"), field="subject")
    if not (text or "").strip():
        raise ValidationError(_("the briefing text is required"), field="text")
    now = now or timezone.now()
    briefing = CaseBriefing.objects.create(
        case=case, number=next_number(case.body, BRIEFING_SERIES, timezone.localdate(now).year),
        police_department=police_department, court=court.strip(), subject=subject.strip(), text=text.strip(),
        sent_at=now, sent_by=actor)
    audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk, act="brief", at=now,
                 payload={"case": case.reference, "number": briefing.number,
                          "police": police_department.name if police_department else "", "court": briefing.court})
    if police_department is not None:
        from chengguan.cases.notify import remind

        liaisons = RoleAssignment.objects.filter(role=POLICE, department__path__startswith=police_department.path)
        remind(key=f"briefing:{briefing.pk}", text=_("Case briefing %(number)s: %(subject)s") % {
            "number": briefing.number, "subject": briefing.subject}, at=now, link=reverse("enforcement:police"),
            user_ids=set(liaisons.values_list("user_id", flat=True)))
    return briefing


@transaction.atomic
def briefing_acknowledge(*, actor, briefing: CaseBriefing, now=None) -> CaseBriefing:
    _require_police(actor)
    try:
        briefing = police_briefings(actor).select_for_update(of=("self",)).get(pk=briefing.pk)
    except CaseBriefing.DoesNotExist as exc:
        raise Http404 from exc
    if briefing.acknowledged_at is None:
        briefing.acknowledged_at, briefing.acknowledged_by = now or timezone.now(), actor
        briefing.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return briefing
