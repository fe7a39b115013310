from django.utils.translation import gettext_lazy as _

from chengguan.org.models import LIGHT_ROLES, Role

STAFF = {r.value for r in Role} - LIGHT_ROLES
RAISERS = {"leader", "admin", "shift_leader", "dispatcher"}


def _overdue(user, now):
    from .selectors import overdue_count

    return overdue_count(user, now)


_overdue.alert = True


def _open_problems(user, now):
    from .selectors import problems

    return problems(user).filter(status="open").count()


NAVIGATION = [
    (_("Task list (overdue)"), "tasks:index", STAFF, _overdue),
    (_("Problem list"), "tasks:problems", STAFF, _open_problems),
    (_("Meetings and decisions"), "tasks:meetings", {"leader", "admin"}),
    (_("Progress board"), "tasks:board", {"leader", "admin"}),
]
ACCESS = {
    "tasks:responsibility": STAFF,
    "tasks:meetings": STAFF,
    "tasks:board": STAFF,
}
