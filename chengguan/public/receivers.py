"""Reactions to case events (after they commit): hotline webhooks, citizen points, the rating invitation.

A receiver never raises into the case action that sent the signal: failures are logged, and the webhook
queue is re-filled by `catch_up` on the next `chengguan webhooks deliver` / `chengguan tick`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chengguan.cases.channels import Message, deliver
from chengguan.cases.models import Source
from chengguan.cases.signals import case_event_recorded, sweep_events_recorded
from chengguan.catalog.models import FilingCondition, MatterType

from . import conf
from .services.citizen import points_award
from .services.citizen_side import status_message_send
from .services.open311 import changeset_bump
from .services.webhooks import enqueue_for_event

log = logging.getLogger("chengguan.public")


@receiver(case_event_recorded, dispatch_uid="public.webhooks")
def queue_webhooks(sender, event, **kwargs):
    try:
        enqueue_for_event(event)
    except Exception:  # noqa: BLE001 - catch_up re-queues it
        log.exception("could not queue webhooks for case event %s", event.pk)


@receiver(case_event_recorded, dispatch_uid="public.points")
def award_points(sender, event, **kwargs):
    try:
        points_award(case=event.case, reason=event.action, at=event.at)
    except Exception:  # noqa: BLE001 - points never break the case loop
        log.exception("could not award points for case event %s", event.pk)


@receiver(case_event_recorded, dispatch_uid="public.status_message")
def tell_the_reporter(sender, event, **kwargs):
    """受理、立案、处置完成: the reporter of a citizen or hotline case hears of it (结案 asks for a rating)."""
    try:
        status_message_send(event=event, now=timezone.now())
    except Exception:  # noqa: BLE001 - a message never breaks the case loop
        log.exception("could not send the status message for case event %s", event.pk)


@receiver(sweep_events_recorded, dispatch_uid="public.sweep")
def on_swept_events(sender, action, events, **kwargs):
    """A sweeper batch (one signal per batch, no per-event signal). Its events change no state (`from_state ==
    to_state`), so no webhook and no rating invitation is due; points and status messages only when the city's
    rules give the action any, for the cases of citizens, found in one query each."""
    try:
        _swept(sender, action, events)
    except Exception:  # noqa: BLE001 - a receiver never breaks the sweeper
        log.exception("could not react to the sweeper's %s batch", action)


def _swept(sender, action, events):
    from .services.citizen_side import status_message_text

    if conf.points_rules().get(action):
        for event in events.filter(case__source=Source.CITIZEN).select_related("case").order_by("pk"):
            award_points(sender, event)
    if status_message_text(action, "") is not None:
        public = events.filter(case__source__in=(Source.CITIZEN, Source.HOTLINE)).select_related("case")
        for event in public.order_by("pk"):
            tell_the_reporter(sender, event)


@receiver(case_event_recorded, dispatch_uid="public.rating_invitation")
def invite_rating(sender, event, **kwargs):
    """When a citizen's or caller's case closes, ask for a rating (回访) with a link to the follow page."""
    case = event.case
    if timezone.now() - event.at > timedelta(days=1):
        return  # a replayed or imported history: nobody is asked about a case closed long ago
    if (
        event.action != "close"
        or case.source not in (Source.CITIZEN, Source.HOTLINE)
        or not case.reporter_phone
    ):
        return
    try:
        from django.urls import reverse

        link = conf.site_url() + reverse("public-follow")
        with translation.override(settings.LANGUAGE_CODE):
            text = _(
                "%(number)s is closed. Please rate how it was handled: %(link)s (case number and your phone)"
            ) % {
                "number": case.number,
                "link": link,
            }
        deliver([Message("rating_invitation", text, case.number, None, case.reporter_phone)])
    except Exception:  # noqa: BLE001
        log.exception("could not send the rating invitation for %s", case.number)


@receiver(post_save, sender=MatterType, dispatch_uid="public.changeset.matter")
@receiver(post_delete, sender=MatterType, dispatch_uid="public.changeset.matter_delete")
@receiver(post_save, sender=FilingCondition, dispatch_uid="public.changeset.condition")
@receiver(post_delete, sender=FilingCondition, dispatch_uid="public.changeset.condition_delete")
def catalogue_changed(sender, raw=False, **kwargs):
    if not raw:
        changeset_bump()
