from django.utils.translation import gettext_lazy as _

from .access import ANSWERERS, CONSULTATION_MANAGERS, SOCIAL_SUPERVISOR, STAFF, VOLUNTEER


def _open_comments(user, now):
    from .supervision import comments_to_answer

    return comments_to_answer(user).filter(status="open").count()


_open_comments.alert = True

NAVIGATION = [
    (_("My reports and points"), "participation:volunteer", {VOLUNTEER}),
    (_("Enforcement outcomes"), "participation:outcomes", {SOCIAL_SUPERVISOR}),
    (_("Supervisors' comments"), "participation:comments", set(ANSWERERS), _open_comments),
    (_("Community studios and booths"), "participation:places", set(STAFF)),
    (_("Public consultations"), "participation:consultations", set(CONSULTATION_MANAGERS)),
]
ACCESS = {
    "participation:outcomes": {SOCIAL_SUPERVISOR, *ANSWERERS},
}
PHONE_HOME = {VOLUNTEER: "participation:volunteer", SOCIAL_SUPERVISOR: "participation:outcomes"}

PORTAL = [
    (_("Public consultations on draft rules"), "participation:portal_consultations"),
    (_("Community studios and service booths"), "participation:portal_places"),
]
