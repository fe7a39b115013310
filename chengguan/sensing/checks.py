"""The automatic check hooks into the case events (inside the transaction that writes them): a department's
reply on a case opened by a sensing alarm opens a waiting check; a person's check (or any other move out of
checking) makes a waiting check moot; an event that leaves the case in checking (an urge) does not. Supervisors can always check by hand."""

from django.db.models import Q
from django.dispatch import receiver

from chengguan.cases.signals import case_events_written, sweep_events_written

from .callbacks import request_for
from .casework import DEFAULT_CHECK_WINDOW, open_check
from .models import Alarm, AutoCheck


@receiver(case_events_written, dispatch_uid="sensing.auto_check")
def on_case_events(sender, events, **kwargs):
    for event in events:
        if event.action == "reply":
            case = event.case
            if not Alarm.objects.filter(case=case).exists():
                continue
            first = Alarm.objects.filter(case=case).select_related("rule").order_by("occurred_at").first()
            window = DEFAULT_CHECK_WINDOW
            if first.rule is not None:
                from datetime import timedelta

                window = timedelta(minutes=first.rule.check_window_minutes)
            check = open_check(case=case, at=event.at, window=window)
            if check is not None:
                request_for(check)
        elif event.from_state == "checking" and event.to_state != "checking":
            AutoCheck.objects.filter(case_id=event.case_id, status=AutoCheck.Status.WAITING).update(
                status=AutoCheck.Status.MOOT, decided_at=event.at
            )


@receiver(sweep_events_written, dispatch_uid="sensing.auto_check_sweep")
def on_swept_events(sender, events, **kwargs):
    """A sweeper batch (set-wise, one signal per batch): the same rules, applied to the batch's events that can
    matter here (a reply, or an event on a case in checking), found in one query."""
    relevant = (
        events.filter(Q(action="reply") | (Q(from_state="checking") & ~Q(to_state="checking")))
        .select_related("case")
        .order_by("pk")
    )
    on_case_events(sender, events=list(relevant))
