"""The complaint workflow: received → assigned → investigated → concluded → replied, against working-day
deadlines from the core calendar. A substantiated complaint with a measure becomes an accountability record
(责任追究) in the officer's five-in-one file; every outcome shows on the officer file and in the evaluation."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.core.workcalendar import add_working_time
from chengguan.org.models import Department, Region, Role, User
from chengguan.org.scope import user_covers_region
from chengguan.patrol.models import AccountabilityRecord

from .access import INTAKE, INVESTIGATORS, MANAGERS, require
from .models import Channel, Complaint, ComplaintEvent, Conduct, State
from .numbering import next_value

# Working days (core calendar): a leader assigns within 2, the investigator reports within 10 of assignment,
# the complainant has the reply within 15 of receipt.
ASSIGN_DAYS, INVESTIGATE_DAYS, REPLY_DAYS = 2, 10, 15
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
MEASURES = {k for k in AccountabilityRecord.Kind.values}


def _event(complaint, act, actor, at, note="", late=False):
    ComplaintEvent.objects.create(complaint=complaint, act=act, actor=actor, at=at, note=note, late=late)


def _text(value, field, message, max_length=None):
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, field=field)
    if max_length and len(value) > max_length:
        raise ValidationError(_("at most %(n)s characters") % {"n": max_length}, field=field)
    return value


def _check_officer(officer: User | None, region: Region):
    if officer is None:
        return
    from chengguan.org.models import RoleAssignment

    if not RoleAssignment.objects.filter(user=officer, role__in=[Role.OFFICER, Role.ASSISTANT]).exists():
        raise ValidationError(_("complaints here are about officers and assistants"), field="officer")


@transaction.atomic
def complaint_receive(*, channel: str, region: Region, conduct: str, text: str, phone: str, actor=None,
                      name: str = "", officer: User | None = None, officer_hint: str = "", place: str = "",
                      occurred_on=None, department: Department | None = None, enforcement_case=None,
                      hotline_reference: str = "", now=None) -> Complaint:
    """Receive a complaint. From the portal `actor` is None (the view applies the rate limit); the hotline is
    entered by an operator, a supervisor's or leader's finding by them."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationError(_("unknown channel"), field="channel")
    if channel == Channel.PORTAL:
        if actor is not None:
            raise ValidationError(_("staff record hotline calls or their own findings"), field="channel")
        officer = None  # a citizen describes the person; staff identify them
    else:
        roles = {r for r, ch in INTAKE.items() if ch == channel}
        if actor is None:
            raise PermissionDenied(_("sign in first"), field="actor")
        require(actor, roles, region, _("you may not record complaints from this channel here"))
    if conduct not in Conduct.values:
        raise ValidationError(_("choose what the complaint is about"), field="conduct")
    text = _text(text, "text", _("describe what happened"), 2000)
    phone = re.sub(r"\s", "", phone or "")
    if not PHONE.match(phone):
        raise ValidationError(_("enter a mobile or landline number so that we can reply"), field="phone")
    if occurred_on and occurred_on > timezone.localdate(now):
        raise ValidationError(_("the date cannot be in the future"), field="occurred_on")
    _check_officer(officer, region)
    year = timezone.localdate(now).year
    complaint = Complaint.objects.create(
        number=f"TS{year}{next_value('TS', year):05d}", channel=channel, region=region, department=department,
        officer=officer, officer_hint=(officer_hint or "").strip()[:100], conduct=conduct, text=text,
        place=(place or "").strip()[:200], occurred_on=occurred_on, complainant_name=(name or "").strip()[:50],
        complainant_phone=phone, enforcement_case=enforcement_case, hotline_reference=hotline_reference[:60],
        received_at=now, received_by=actor,
        assign_due=add_working_time(now, ASSIGN_DAYS, "working_days"),
        reply_due=add_working_time(now, REPLY_DAYS, "working_days"))
    _event(complaint, "receive", actor, now, complaint.get_channel_display())
    return complaint


def _lock(complaint, *states) -> Complaint:
    c = Complaint.objects.select_for_update().select_related("region").get(pk=complaint.pk)
    if c.state not in states:
        raise Conflict(_("not possible while the complaint is: %(state)s") % {"state": c.get_state_display()},
                       field="state", code="illegal_transition")
    return c


@transaction.atomic
def complaint_assign(*, actor, complaint, investigator: User, officer: User | None = None, department=None,
                     now=None) -> Complaint:
    """A leader identifies the person complained about (if the complainant could not) and assigns an investigator
    who is neither that person nor outside the area."""
    now = now or timezone.now()
    c = _lock(complaint, State.RECEIVED, State.ASSIGNED)
    require(actor, MANAGERS, c.region)
    if officer is not None:
        _check_officer(officer, c.region)
        c.officer = officer
    if department is not None:
        c.department = department
    if investigator is None or not user_covers_region(investigator, c.region, roles=INVESTIGATORS):
        raise ValidationError(_("choose a leader or legal reviewer of the area as investigator"), field="investigator")
    if c.officer_id and investigator.pk == c.officer_id:
        raise ValidationError(_("the person complained about cannot investigate"), field="investigator")
    late = c.state == State.RECEIVED and now > c.assign_due
    c.investigator, c.assigned_at, c.state = investigator, now, State.ASSIGNED
    c.investigation_due = add_working_time(now, INVESTIGATE_DAYS, "working_days")
    c.save()
    _event(c, "assign", actor, now, str(investigator), late)
    return c


@transaction.atomic
def complaint_investigate(*, actor, complaint, findings: str, now=None) -> Complaint:
    now = now or timezone.now()
    c = _lock(complaint, State.ASSIGNED)
    if actor.pk != c.investigator_id:
        raise PermissionDenied(_("only the assigned investigator reports the findings"), field="actor")
    c.findings = _text(findings, "findings", _("record the findings"), 4000)
    c.investigated_at, c.state = now, State.INVESTIGATED
    c.save(update_fields=["findings", "investigated_at", "state"])
    _event(c, "investigate", actor, now, late=bool(c.investigation_due and now > c.investigation_due))
    return c


@transaction.atomic
def complaint_conclude(*, actor, complaint, substantiated: bool, conclusion: str, measure: str = "",
                       now=None) -> Complaint:
    """Substantiated or not. Substantiated needs the person and a measure (责任追究), which is recorded in their
    five-in-one file at once; a complaint not substantiated leaves no mark on the file."""
    now = now or timezone.now()
    c = _lock(complaint, State.INVESTIGATED)
    require(actor, MANAGERS, c.region)
    if c.officer_id and actor.pk == c.officer_id:
        raise PermissionDenied(_("nobody concludes a complaint about themself"), field="actor")
    c.conclusion = _text(conclusion, "conclusion", _("state the conclusion"), 4000)
    if substantiated:
        if c.officer_id is None:
            raise ValidationError(_("identify the person before concluding that the complaint is substantiated"),
                                  field="officer")
        if measure not in MEASURES:
            raise ValidationError(_("choose the accountability measure"), field="measure")
        c.accountability = AccountabilityRecord.objects.create(
            user_id=c.officer_id, decided_on=timezone.localdate(now), kind=measure, authority=_("oversight"),
            reason=_("Complaint %(number)s substantiated: %(conclusion)s") % {"number": c.number,
                                                                             "conclusion": c.conclusion},
            reference=c.number, recorded_by=actor)
    else:
        measure = ""
    c.substantiated, c.measure, c.concluded_at, c.concluded_by = bool(substantiated), measure, now, actor
    c.state = State.CONCLUDED
    c.save()
    _event(c, "conclude", actor, now, _("substantiated") if substantiated else _("not substantiated"))
    return c


@transaction.atomic
def complaint_reply(*, actor, complaint, text: str, now=None) -> Complaint:
    now = now or timezone.now()
    c = _lock(complaint, State.CONCLUDED)
    if actor.pk != c.investigator_id:
        require(actor, MANAGERS, c.region, _("the investigator or a leader replies to the complainant"))
    c.reply_text = _text(text, "text", _("write the reply"), 2000)
    c.replied_at, c.replied_by, c.state, c.replied_late = now, actor, State.REPLIED, now > c.reply_due
    c.save(update_fields=["reply_text", "replied_at", "replied_by", "state", "replied_late"])
    _event(c, "reply", actor, now, late=c.replied_late)
    return c
