from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Vehicles and equipment"), "assets:index", {"officer", "assistant", "leader", "admin", "shift_leader",
                                                    "dispatcher"}),
]
