from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Enforcement cases"), "enforcement:list", {"officer", "assistant", "legal_reviewer", "leader"}),
    (_("Register a clue"), "enforcement:clue_new", {"officer", "assistant"}),
    (_("Legal review queue"), "enforcement:review_queue", {"legal_reviewer"}),
    (_("Enforcement approvals"), "enforcement:approvals", {"leader"}),
    (_("Cases filed but idle, handled but not closed"), "enforcement:idle_report", {"leader", "legal_reviewer"}),
    (_("Power list import / export"), "enforcement:powers_admin", {"leader", "admin"}),
    (_("Power & responsibility list (public)"), "enforcement:public_powers", None),
    (_("Penalty decisions (public)"), "enforcement:public_decisions", None),
]
