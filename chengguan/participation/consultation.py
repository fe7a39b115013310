"""Public consultation on a draft rule (征求意见): the drafting office publishes the draft with a closing date,
citizens send opinions on the portal (rate limited per address and phone, with the public app's limiter), the
consultation closes (job) and the office publishes its response with a reply to each opinion; only then are the
opinions shown, with masked names and without phones."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.enforcement.privacy import mask_name
from chengguan.public.services.ratelimit import hit

from .access import CONSULTATION_MANAGERS, require_role
from .models import Consultation, Opinion

PHONE_DIGITS = 11


def _managers(actor):
    require_role(actor, *CONSULTATION_MANAGERS, message=_("Only the leaders and the legal office run consultations."))


def consultation_create(*, actor, title: str, draft_text: str, department, summary: str = "", at=None):
    _managers(actor)
    title, draft_text = (title or "").strip(), (draft_text or "").strip()
    if not title:
        raise ValidationError(_("Give the draft a title."), field="title")
    if len(draft_text) < 20:
        raise ValidationError(_("Paste the draft text."), field="draft_text")
    return Consultation.objects.create(title=title[:200], draft_text=draft_text, summary=(summary or "").strip(),
                                       department=department, created_by=actor, created_at=at or timezone.now())


def _locked(consultation, *statuses) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status not in statuses:
        raise Conflict(_("The consultation is %(status)s.") % {"status": locked.get_status_display()},
                       field="status")
    return locked


def consultation_publish(*, actor, consultation: Consultation, closes_at, at=None) -> Consultation:
    _managers(actor)
    at = at or timezone.now()
    if closes_at is None or closes_at <= at:
        raise ValidationError(_("The closing date must lie in the future."), field="closes_at")
    with transaction.atomic():
        c = _locked(consultation, Consultation.Status.DRAFT)
        c.status, c.opens_at, c.closes_at = Consultation.Status.OPEN, at, closes_at
        c.save(update_fields=["status", "opens_at", "closes_at"])
    return c


def opinion_submit(*, consultation: Consultation, text: str, name: str = "", phone: str = "", ip: str = "",
                   at=None) -> Opinion:
    at = at or timezone.now()
    if not consultation.accepts_opinions(at):
        raise Conflict(_("This consultation does not take opinions (any more)."), field="consultation")
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError(_("Write your opinion (at least 5 characters)."), field="text")
    if len(text) > 2000:
        raise ValidationError(_("At most %(max)s characters.") % {"max": 2000}, field="text")
    phone = "".join(ch for ch in (phone or "") if ch.isdigit())
    if phone and len(phone) != PHONE_DIGITS:
        raise ValidationError(_("The phone number is not valid."), field="phone")
    hit("opinion_ip", ip, now=at, field="text")
    if phone:
        hit("opinion_phone_day", phone, now=at, field="phone")
    return Opinion.objects.create(consultation=consultation, text=text, name=(name or "").strip()[:50], phone=phone,
                                  at=at)


def consultations_close(now=None) -> int:
    """Close the consultations whose date has passed (job); compare-and-set, so a second run closes none."""
    now = now or timezone.now()
    return Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__lte=now).update(
        status=Consultation.Status.CLOSED)


def consultation_respond(*, actor, consultation: Consultation, response: str, replies: dict | None = None,
                         at=None) -> Consultation:
    """Publish the response: a summary and, per opinion, adopted or not and why."""
    _managers(actor)
    at = at or timezone.now()
    response = (response or "").strip()
    if len(response) < 10:
        raise ValidationError(_("Write the response (how the opinions were handled)."), field="response")
    with transaction.atomic():
        if consultation.status == Consultation.Status.OPEN and consultation.closes_at <= at:
            consultations_close(at)
        c = _locked(consultation, Consultation.Status.CLOSED)
        for opinion in c.opinions.select_for_update():
            adopted, reply = (replies or {}).get(opinion.pk, (None, ""))
            opinion.adopted, opinion.reply = adopted, (reply or "").strip()[:500]
            opinion.save(update_fields=["adopted", "reply"])
        c.status, c.response, c.responded_at = Consultation.Status.RESPONDED, response, at
        c.save(update_fields=["status", "response", "responded_at"])
    return c


def public_consultations() -> QuerySet:
    return Consultation.objects.exclude(status=Consultation.Status.DRAFT).select_related("department")


def public_opinions(consultation: Consultation) -> list[dict]:
    if consultation.status != Consultation.Status.RESPONDED:
        return []
    return [{"name": mask_name(o.name) or _("anonymous"), "text": o.text, "at": o.at, "adopted": o.adopted,
             "reply": o.reply} for o in consultation.opinions.all()]


def close_job() -> int:
    return consultations_close()
