"""Statutory deadlines reach the officers before they pass: two working days before and on the day, in the inbox
(with a link to the case) and through the configured channels. Run by the worker (jobs.py), daily."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.notify import remind
from chengguan.core.workcalendar import is_workday

from .models import CriminalReferral, EnforcementCase
from .models.cases import OPEN_STATES
from .selectors import OPEN_DEADLINES

WORKING_DAYS_BEFORE = 2


def _warn_from(today):
    """The last day a reminder "two working days before" may wait for: today plus two working days."""
    day, left = today, WORKING_DAYS_BEFORE
    while left:
        day += timedelta(days=1)
        left -= is_workday(day)
    return day


def _tell(case, code, what, due, today, user_ids, at):
    due_day = timezone.localdate(due)
    stage = "day" if due_day <= today else "before"
    if stage == "day":
        text = _("%(case)s: the time limit to %(what)s ends today (%(due)s); do it now.")
    else:
        text = _("%(case)s: the time limit to %(what)s ends on %(due)s; do it before then.")
    text %= {"case": case, "what": what, "due": timezone.localtime(due).strftime("%m-%d %H:%M")}
    key = f"enforcement:{case.pk}:{code}:{due_day.isoformat()}:{stage}"
    return remind(key=key[:120], text=text, link=reverse("enforcement:detail", args=[case.pk]), user_ids=user_ids,
                  at=at)  # fmt: skip


def _people(case) -> set[int]:
    """The case's officers (承办人); a clue not yet assigned reaches whoever registered it."""
    return case.officer_ids() or {case.registered_by_id}


def run(now=None) -> int:
    """The job (no arguments): reminders in the site's language, whatever the worker's thread had active."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _run(now)


def _run(now=None) -> int:
    """Remind each case's officers of the deadlines that end by two working days from today. Returns how many
    people were told (a reminder goes out once per person, deadline and stage, however often this runs)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = timezone.make_aware(timezone.datetime.combine(_warn_from(today), timezone.datetime.max.time()))
    start = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.min.time()))
    cases = EnforcementCase.objects.filter(state__in=OPEN_STATES).prefetch_related("officers")
    told = 0
    for column, done_columns, label in OPEN_DEADLINES:
        due_q = {f"{column}__range": (start, horizon), **{f"{c}__isnull": True for c in done_columns}}
        for case in cases.filter(**due_q):
            told += _tell(case, column, label, getattr(case, column), today, _people(case), now)
    replies = CriminalReferral.objects.filter(case__state__in=OPEN_STATES, handed_over_at__isnull=False,
                                              replied_at__isnull=True, reply_due__range=(start, horizon))  # fmt: skip
    for r in replies.select_related("case").prefetch_related("case__officers"):
        told += _tell(r.case, f"referral{r.pk}", _("get the police decision on the referral"), r.reply_due, today,
                      _people(r.case), now)  # fmt: skip
    return told
