from django.utils.translation import gettext_lazy as _

from .workflow import CLERKS


def _open(user, now):
    from .access import scope
    from .models import Application

    return Application.objects.filter(scope(user), status__in=["submitted", "accepted"]).count()


def _overdue(user, now):
    from django.db.models import Q

    from .access import scope
    from .models import Application

    return Application.objects.filter(scope(user)).filter(
        Q(status="submitted", acceptance_due__lt=now) | Q(status="accepted", decision_due__lt=now)).count()


_overdue.alert = True

NAVIGATION = [
    (_("Permit applications"), "permits:index", CLERKS, _open),
    (_("Permits past their statutory deadline"), "permits:index?overdue=1", CLERKS, _overdue),
    (_("Vending zones"), "permits:zones", CLERKS),
    (_("Permit check on patrol"), "permits:check", CLERKS | {"assistant"}),
]

ACCESS = {
    "permits:new": CLERKS,
    "permits:detail": CLERKS,
}

PORTAL = [
    (_("Apply for a permit"), "permits:public-apply"),
    (_("Follow a permit application"), "permits:public-follow"),
    (_("Register of permits"), "permits:public-register"),
]
