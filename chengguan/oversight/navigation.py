from django.utils.translation import gettext_lazy as _

READERS = {"leader", "admin", "legal_reviewer"}


def open_complaints(user, now):
    from .models import State
    from .selectors import complaints_in_scope

    return complaints_in_scope(user).exclude(state__in=[State.REPLIED]).count()


NAVIGATION = [
    (_("Complaints about officers"), "oversight:complaints", READERS | {"operator", "supervisor"}, open_complaints),
    (_("Officer and squad evaluation"), "oversight:ratings", READERS),
    (_("Joint squads: presence and handling rates"), "oversight:presence", READERS),
    (_("Rotation due"), "oversight:rotation", READERS),
    (_("Assistant work permits"), "oversight:permits", READERS),
]

ACCESS = {
    "oversight:complaint_new": {"operator", "supervisor", "leader"},
    "oversight:complaint": READERS | {"operator", "supervisor"},
}

PORTAL = [(_("Complain about an officer's conduct"), "oversight:portal_complaint")]
