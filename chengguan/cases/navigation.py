"""The cases app's staff menu entries; the queue entries carry their waiting counts (see core.navigation)."""

from django.utils.translation import gettext_lazy as _

from . import selectors
from .workflow import State


def _count(qs):
    return qs.order_by().count()


def to_accept(user, now):
    return _count(selectors.operator_queue(user))


def to_file(user, now):
    return _count(selectors.shift_leader_queue(user).filter(state=State.ACCEPTED))


def to_close(user, now):
    return _count(selectors.shift_leader_queue(user).exclude(state=State.ACCEPTED))


def to_dispatch(user, now):
    return _count(selectors.dispatcher_queue(user))


def to_handle(user, now):
    return _count(selectors.department_inbox(user).filter(state=State.DISPATCHED))


def to_check(user, now):
    return _count(selectors.supervisor_tasks(user))


def overdue(user, now):
    return _count(selectors.case_list(user, overdue=True, now=now))


overdue.alert = True


def unread(user, now):
    return selectors.unread_count(user)


# A supervisor who signs in on a phone lands on the phone pages (core.navigation.phone_home).
PHONE_HOME = {"supervisor": "cases:mobile"}

DESK = {"operator", "shift_leader", "dispatcher", "department_handler", "leader", "admin"}

NAVIGATION = [
    (_("To check (mobile)"), "cases:mobile", {"supervisor"}, to_check),
    (_("To accept"), "cases:operator", {"operator"}, to_accept),
    (_("Register a call"), "cases:new", {"operator"}),
    (_("To file"), "cases:filing?step=file", {"shift_leader"}, to_file),
    (_("To close"), "cases:filing?step=close", {"shift_leader"}, to_close),
    (_("To dispatch"), "cases:dispatch", {"dispatcher"}, to_dispatch),
    (_("To handle"), "cases:department", {"department_handler"}, to_handle),
    (_("Overdue"), "cases:list?overdue=1", DESK, overdue),
    (_("All cases"), "cases:list", None),
    (_("Notifications"), "cases:notifications", None, unread),
]

LIGHT_RANK = {"red": 0, "yellow": 1, "green": 2}


def WORK(user, now, limit):  # noqa: N802 - the name is the navigation hook's contract
    """The user's next cases across their queues: red before yellow before green, then by deadline."""
    from django.urls import reverse

    from chengguan.org.scope import user_roles

    roles = user_roles(user)
    queues = []
    if "operator" in roles:
        queues.append(selectors.operator_queue(user))
    if "shift_leader" in roles:
        queues.append(selectors.shift_leader_queue(user))
    if "dispatcher" in roles:
        queues.append(selectors.dispatcher_queue(user))
    if "department_handler" in roles:
        queues.append(selectors.department_inbox(user).filter(state=State.DISPATCHED))
    if "supervisor" in roles:
        queues.append(selectors.supervisor_tasks(user))
    items, seen = [], set()
    for qs in queues:
        for case in qs.select_related("matter")[:limit]:
            if case.pk in seen:
                continue
            seen.add(case.pk)
            light = case.traffic_light(now)
            deadline = case.deadline.timestamp() if case.deadline else float("inf")
            url = reverse("cases:mobile_case" if roles == {"supervisor"} else "cases:detail", args=[case.pk])
            items.append({
                "label": f"{case.number} · {case.matter.name}",
                "url": url,
                "detail": f"{case.state_label} · {case.community.name} {case.address}",
                "light": light,
                "rank": (LIGHT_RANK.get(light, 3), deadline),
            })  # fmt: skip
    return items
