from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (
        _("Command-centre dashboard"),
        "dashboard:index",
        {"supervisor", "operator", "shift_leader", "dispatcher", "leader", "admin"},
    ),
]
