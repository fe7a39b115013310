from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Citizen portal"), "public-home", None),
    (_("Open311 submissions to place"), "public-open311-pending", {"operator"}),
    (_("Satisfaction call-backs"), "public-satisfaction", {"operator", "shift_leader", "leader"}),
    (_("Personal data reveal log"), "public-reveals", {"leader", "admin"}),
    (_("Monthly statistics (disclosure)"), "public-stats", None),
]
