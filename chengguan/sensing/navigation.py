from django.utils.translation import gettext_lazy as _

MONITORING = {"operator", "shift_leader", "dispatcher", "leader", "admin", "officer"}

NAVIGATION = [
    (_("Monitoring (cameras and sensors)"), "sensing:index", MONITORING),
    (_("Alarm review queue"), "sensing:review", {"operator", "shift_leader", "dispatcher", "admin", "officer"}),
]
