"""Criminal referral (行刑衔接, 国务院令第310号): report → decision within 3 days → hand over within 24 hours →
the police decide within 3 days; a refusal to open a criminal case sends the case back to the penalty path."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import CriminalReferral, State
from .base import Act


def _open_referral(act: Act) -> CriminalReferral:
    return act.case.referrals.select_for_update().filter(replied_at__isnull=True).order_by("-reported_at").first()


@transaction.atomic
def case_report_crime(*, actor, case, co_officer, offence: str, report: str, now=None):
    act = Act(actor=actor, case=case, code="report_crime", now=now, co_officer=co_officer)
    due = deadlines.due("referral_decision", act.now)
    CriminalReferral.objects.create(case=act.case, offence=offence, report=report, reported_at=act.now,
                                    reported_by=actor, resume_state=act.case.state, decision_due=due)
    act.done(to=State.REFERRAL_PENDING, reason=report, deadline=due, payload={"offence": offence})
    return act.case


@transaction.atomic
def case_decide_referral(*, actor, case, now=None, approve: bool = False, reason: str = "", late_reason: str = ""):
    act = Act(actor=actor, case=case, code="decide_referral", now=now)
    referral = _open_referral(act)
    act.on_time(referral.decision_due, late_reason, _("decide on the referral (3 days)"))
    act.require(approve or bool(reason), _("record the reasons for not transferring (第5条)"), field="reason")
    referral.decided_at, referral.decided_by, referral.approved = act.now, actor, approve
    fields = ["decided_at", "decided_by", "approved"]
    if approve:
        referral.handover_due = deadlines.due("referral_handover", act.now)
        fields.append("handover_due")
        to = State.REFERRAL_APPROVED
    else:
        referral.refusal_reason = reason
        referral.replied_at = act.now  # the referral is over
        fields += ["refusal_reason", "replied_at"]
        to = referral.resume_state
    referral.save(update_fields=fields)
    act.done(to=to, reason=reason or late_reason, deadline=referral.handover_due, payload={"approve": approve})
    return act.case


def police_department_named(name: str):
    """The police unit with a liaison account (org department of kind police) of this name, if there is one."""
    from chengguan.org.models import Department

    return Department.objects.filter(kind="police", name=(name or "").strip(), is_active=True).first()


@transaction.atomic
def case_hand_over(*, actor, case, police_unit: str, now=None, late_reason: str = ""):
    act = Act(actor=actor, case=case, code="hand_over", now=now)
    referral = _open_referral(act)
    act.on_time(referral.handover_due, late_reason, _("hand the case over (24 hours)"))
    referral.handed_over_at, referral.police_unit = act.now, police_unit
    # A unit with a liaison account receives the referral on its own page (enforcement:police).
    referral.police_department = police_department_named(police_unit)
    referral.reply_due = deadlines.due("police_reply", act.now)
    referral.save(update_fields=["handed_over_at", "police_unit", "police_department", "reply_due"])
    act.document("referral_letter", police_unit=police_unit, offence=referral.offence)
    act.done(to=State.REFERRED, reason=late_reason, deadline=referral.reply_due, payload={"police_unit": police_unit})
    return act.case


@transaction.atomic
def case_record_police_reply(*, actor, case, text: str, now=None, accepted: bool = False):
    act = Act(actor=actor, case=case, code="record_police_reply", now=now)
    return apply_police_reply(act, _open_referral(act), text=text, accepted=accepted)


def apply_police_reply(act: Act, referral: CriminalReferral, *, text: str, accepted: bool):
    """The police decision closes the referral: a criminal case closes ours, a refusal resumes the penalty path."""
    act.require(bool((text or "").strip()), _("the police reply is required"), field="text")
    referral.replied_at, referral.police_accepted, referral.reply_text = act.now, accepted, text
    referral.save(update_fields=["replied_at", "police_accepted", "reply_text"])
    c = act.case
    if accepted:
        c.closed_at, c.resolution, c.resolved_at = act.now, "enforcement", act.now
        act.done(to=State.CLOSED, fields=["closed_at", "resolution", "resolved_at"], reason=text,
                 payload={"accepted": True})
    else:  # 第10条: no criminal case → handle it administratively
        act.done(to=State.INVESTIGATING, reason=text, payload={"accepted": False})
    return c
