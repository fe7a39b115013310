"""Helpers shared by the permit services: statutory periods, transitions, the history row."""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.core import workcalendar
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.org.models import Department, Region

from ..access import may
from ..models import Application, ApplicationEvent
from ..workflow import TRANSITIONS

ACCEPT_DAYS = 5  # 行政许可法 第32条: accept or tell what is missing within five days
DECIDE_DAYS = 20  # 第42条: decide within twenty days of acceptance
EXTEND_DAYS = 10  # 第42条: extendable by ten days once, with the approval of the head of the authority


def working_deadline(start: datetime, days: int) -> tuple[datetime, bool]:
    due = workcalendar.add_working_time(start, days, "working_days")
    return due, workcalendar.touches_provisional(start, due)


def transition(actor, application: Application, act: str) -> str:
    """Check the act is legal from the current status and the actor holds a role for it in the region."""
    sources, target, roles = TRANSITIONS[act]
    if application.status not in sources:
        raise Conflict(
            _("This cannot be done while the application is “%(status)s”.")
            % {"status": application.get_status_display()},
            field="status",
        )
    if roles is not None and (actor is None or not may(actor, roles, application.region)):
        raise PermissionDenied(_("You may not do this for applications of this region."), field="actor")
    return target


def record(application: Application, act: str, from_status: str, actor, at, *, deadline=None, note="",
           **payload) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, act=act, from_status=from_status, to_status=application.status,
        actor=actor if actor is not None and actor.is_authenticated else None, at=at, deadline=deadline,
        note=note, payload=payload,
    )


def text(value, field: str, max_length: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise ValidationError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def handling_department(region: Region) -> Department:
    """The bureau (城市管理局) of the region or its nearest ancestor: it accepts and decides."""
    paths = [region.path[: i + 1] for i, ch in enumerate(region.path) if ch == "/"]
    # the deepest ancestor wins: of two prefixes of one path, the longer sorts last
    bureau = Department.objects.filter(kind="bureau", region__path__in=paths).order_by("-region__path").first()
    if bureau is None:
        raise ValidationError(_("No bureau serves this region; configure one in admin."), field="region")
    return bureau
