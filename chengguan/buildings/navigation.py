from django.utils.translation import gettext_lazy as _

from .workflow import VIEWERS


def _pending(user, now):
    from .access import scope
    from .models import IllegalBuilding

    return IllegalBuilding.objects.filter(scope(user), status__in=["pending", "stopped"]).count()


NAVIGATION = [
    (_("Illegal-building ledger"), "buildings:index", VIEWERS, _pending),
    (_("Illegal buildings on the map"), "buildings:map", VIEWERS),
    (_("Demolition projects"), "buildings:projects", VIEWERS),
]

ACCESS = {
    "buildings:new": VIEWERS,
    "buildings:detail": VIEWERS,
    "buildings:project": VIEWERS,
    "buildings:campaign": VIEWERS,
}
