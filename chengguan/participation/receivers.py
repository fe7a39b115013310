"""Volunteer points follow the case events (after they commit), like the portal's citizen points."""

import logging

from django.dispatch import receiver

from chengguan.cases.signals import case_event_recorded, sweep_events_recorded

log = logging.getLogger("chengguan.participation")


@receiver(case_event_recorded, dispatch_uid="participation.volunteer_points")
def award_volunteer_points(sender, event, **kwargs):
    from .volunteers import points_award

    try:
        points_award(case_id=event.case_id, action=event.action, at=event.at)
    except Exception:  # noqa: BLE001 - points never break the case loop
        log.exception("could not award volunteer points for case event %s", event.pk)


@receiver(sweep_events_recorded, dispatch_uid="participation.volunteer_points_sweep")
def award_volunteer_points_swept(sender, action, events, **kwargs):
    """A sweeper batch (one signal per batch): points only if the action earns any, for the volunteers' cases."""
    from chengguan.public import conf as public_conf

    from .models import VolunteerReport

    if not public_conf.points_rules().get(action):
        return
    try:
        swept = list(events.filter(case_id__in=VolunteerReport.objects.values("case_id")).order_by("pk"))
    except Exception:  # noqa: BLE001 - points never break the sweeper
        log.exception("could not award volunteer points for the sweeper's %s batch", action)
        return
    for event in swept:
        award_volunteer_points(sender, event)
