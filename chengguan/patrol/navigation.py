from django.utils.translation import gettext_lazy as _

PATROL = {"supervisor", "officer", "assistant", "shift_leader", "leader", "admin", "legal_reviewer"}

NAVIGATION = [
    (_("Patrol tracker (mobile)"), "patrol:mobile", {"supervisor", "officer", "assistant"}),
    (_("Patrol and duty"), "patrol:index", PATROL),
    (_("Duty roster"), "patrol:roster", PATROL),
    (_("Staffing and certificates"), "patrol:staffing", {"leader", "admin", "legal_reviewer"}),
    (_("Campaigns"), "patrol:campaigns", PATROL),
    (_("Frontage responsibility"), "patrol:shops", PATROL),
]
# Pages outside the menu, for links shown only to those who may follow them (core.navigation.may_open).
ACCESS = {
    "patrol:staffing": {"leader", "admin", "legal_reviewer"},
    "patrol:certificates": {"leader", "admin", "legal_reviewer"},
    "patrol:staff": {"leader", "admin", "legal_reviewer"},
}
# Officers and assistants who sign in on a phone land on the patrol tracker (core.navigation.phone_home).
PHONE_HOME = {"officer": "patrol:mobile", "assistant": "patrol:mobile"}
