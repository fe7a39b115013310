"""The automatic check hooks into the case events (inside the transaction that writes them): a department's
reply on a case opened by a sensing alarm opens a waiting check; a person's check (or any other move out of
checking) makes a waiting check moot; an event that leaves the case in checking (an urge) does not. Supervisors can
always check by hand. The sweeper's batches (`sweep_events_written`) need no receiver here: an automatic urge or
escalation is neither a reply nor a move out of checking."""

from django.dispatch import receiver

from chengguan.cases.signals import case_events_written

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

