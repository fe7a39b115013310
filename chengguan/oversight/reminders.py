"""Complaint deadlines reach the people who must act: the leaders of the area while a complaint waits to be
assigned, the investigator while it is being investigated, and both before the reply is due. Daily job."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.org.models import Role, RoleAssignment

from .models import Complaint, State


def run(now=None) -> int:
    from django.conf import settings
    from django.utils import translation

    from chengguan.cases.notify import remind

    now = now or timezone.now()
    horizon = now + timezone.timedelta(days=2)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        leaders = list(RoleAssignment.objects.filter(role=Role.LEADER, region__isnull=False).select_related("region"))
        for c in Complaint.objects.exclude(state=State.REPLIED).select_related("region"):
            due = c.current_due
            if due is None or due > horizon:
                continue
            who = {a.user_id for a in leaders if c.region.path.startswith(a.region.path)}
            if c.investigator_id and c.state in (State.ASSIGNED, State.CONCLUDED):
                who.add(c.investigator_id)
            stage = "overdue" if due <= now else "soon"
            text = (_("Complaint %(number)s (%(state)s) is overdue since %(due)s.") if stage == "overdue" else
                    _("Complaint %(number)s (%(state)s) is due on %(due)s.")) % {
                "number": c.number, "state": c.get_state_display(),
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")}
            told += remind(key=f"complaint:{c.pk}:{c.state}:{stage}", text=text, at=now, user_ids=who,
                           link=reverse("oversight:complaint", args=[c.pk]))
    return told
