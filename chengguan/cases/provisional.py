"""Provisional deadlines of cases (issue 12): a deadline counted over a year whose official holiday
arrangement is not entered yet follows the calendar's fallback rule; it is flagged, shown as 暂定, and
recomputed by `chengguan calendar recompute` once the arrangement is entered."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.core import workcalendar

RECOMPUTE_ACTION = "recompute_deadline"
RECOMPUTE_LABEL = gettext_lazy("deadline recomputed (holiday arrangement entered)")


def mark_provisional(sender, instance, **kwargs):
    """pre_save: the flag always follows the stored deadline (every service saves the whole case row)."""
    case = instance
    natural = case.limit_unit in workcalendar.NATURAL_UNITS and not case.extension_count
    case.deadline_provisional = bool(case.deadline) and not natural and workcalendar.touches_provisional(
        case.step_started_at, case.deadline
    )


def recompute_cases(years, *, at=None, actor=None) -> list[dict]:
    """Recompute the provisional deadlines of open cases now that `years` are official.

    The working time a deadline granted (limit plus approved extensions) is measured with the calendar it was
    computed with (those years as unofficial) and counted again from the step's start with the official one;
    the escalation point follows. Each change writes a `recompute_deadline` history row with the old and new
    deadline; the flag is re-derived either way."""
    from django.db import transaction

    from chengguan.cases.models import Case

    at = at or timezone.now()
    years = set(years)
    changes = []
    pks = list(Case.objects.filter(is_open=True, deadline_provisional=True).values_list("pk", flat=True))
    for pk in pks:
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).get(pk=pk)
            start, old = case.step_started_at or case.deadline, case.deadline
            if not years.intersection(_years_of(start, old)):
                continue
            if case.limit_unit in workcalendar.NATURAL_UNITS and not case.extension_count:
                new = old
            else:
                new = workcalendar.recount(start, old, years)
            if new != old:
                apply_recompute(case, start, new)
            case.save()
            if new != old:
                write_recompute_event(
                    case, at=at, actor=actor, role="system",
                    reason=_("The official holiday arrangement of %(years)s was entered.")
                    % {"years": ", ".join(str(y) for y in sorted(years))},
                    payload={"old_deadline": timezone.localtime(old).isoformat(),
                             "new_deadline": timezone.localtime(new).isoformat(), "years": sorted(years)},
                )  # fmt: skip
                changes.append({"kind": "case", "id": case.pk, "number": case.number, "old": old, "new": new,
                                "provisional": case.deadline_provisional})
    return changes


def apply_recompute(case, start, new) -> None:
    """A recomputed deadline's effect on the case's open step (in memory): the deadline, the escalation point
    counted from the step's start (`start`), the sweeper's flags cleared (its urge and escalation were about the
    old deadline). `recompute_cases` and both imports of a `recompute_deadline` row (docs/case-exchange.md)."""
    from chengguan.cases.services.engine import escalation_point

    case.deadline = new
    case.escalate_at = escalation_point(start, new, case.limit_unit or "minutes")
    case.overdue_notified = case.escalated = False


def write_recompute_event(case, *, at, actor, role, reason, payload):
    """The `recompute_deadline` history row of the (saved) case's open step: who is the working calendar."""
    from chengguan.cases.models import CaseEvent
    from chengguan.cases.notify import is_silenced
    from chengguan.cases.services.engine import write_event
    from chengguan.cases.signals import case_events_written

    event = write_event(case, action=RECOMPUTE_ACTION, actor=actor, role=role, at=at, from_state=case.state,
                        ended=("", None, None), reason=reason, payload=payload,
                        actor_name=_("working calendar"))  # fmt: skip
    if not is_silenced():  # the evaluation's step facts read the open step's deadline from the events
        case_events_written.send(sender=CaseEvent, events=[event])
    return event


def _years_of(start, end) -> list[int]:
    if end is None:
        return []
    first = timezone.localtime(start or end).year
    return list(range(first, timezone.localtime(end).year + 1))


def on_arrangement_entered(sender, years, at, actor, **kwargs) -> list[dict]:
    return recompute_cases(years, at=at, actor=actor)


def on_arrangement_missing(sender, year, at, **kwargs) -> int:
    """Tell every administrator (inbox) that next year's arrangement is missing, unless an unread notice
    says so already."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from chengguan.cases.models import Notification

    User = get_user_model()
    admins = User.objects.filter(Q(is_superuser=True) | Q(is_staff=True), is_active=True)
    told = set(
        Notification.objects.filter(kind="calendar_missing", read_at__isnull=True).values_list("user_id", flat=True)
    )
    text = (
        f"{year}年的节假日安排尚未录入：跨入{year}年的期限按暂定规则计算（周一至周五上班，元旦、劳动节、国庆节暂按法定日期）。"
        f"国务院办公厅发布通知后，请在“工作日历→录入节假日安排”中粘贴通知全文。"
    )
    rows = [Notification(user=u, kind="calendar_missing", text=text[:300], created_at=at)
            for u in admins if u.pk not in told]
    Notification.objects.bulk_create(rows)
    return len(rows)
