from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Supervisor (mobile)"), "cases:mobile", {"supervisor"}),
    (_("Acceptance queue"), "cases:operator", {"operator"}),
    (_("Register a call"), "cases:new", {"operator"}),
    (_("Filing and closing"), "cases:filing", {"shift_leader"}),
    (_("Dispatching"), "cases:dispatch", {"dispatcher"}),
    (_("Department inbox"), "cases:department", {"department_handler"}),
    (_("All cases"), "cases:list", None),
    (_("Notifications"), "cases:notifications", None),
]
