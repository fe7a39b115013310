from django.utils.translation import gettext_lazy as _


def deadlines_due(user, now):
    """Statutory deadlines of the user's visible cases that pass within three days or have passed."""
    from .selectors import deadline_warnings

    return len(deadline_warnings(user, now=now))


deadlines_due.alert = True


def to_review(user, now):
    from .selectors import legal_review_queue

    return legal_review_queue(user).order_by().count()


def to_approve(user, now):
    from .selectors import leader_queue

    return sum(qs.order_by().count() for qs in leader_queue(user).values())


def referrals_waiting(user, now):
    from .services.linkage import police_referrals

    return police_referrals(user).filter(replied_at__isnull=True).count()


referrals_waiting.alert = True

NAVIGATION = [
    (_("Referrals and briefings received"), "enforcement:police", {"police"}, referrals_waiting),
    (_("Enforcement cases"), "enforcement:list", {"officer", "assistant", "legal_reviewer", "leader"}),
    (_("Deadlines due"), "enforcement:list", {"officer", "assistant", "leader"}, deadlines_due),
    (_("Register a clue"), "enforcement:clue_new", {"officer", "assistant"}),
    (_("Legal review queue"), "enforcement:review_queue", {"legal_reviewer"}, to_review),
    (_("Enforcement approvals"), "enforcement:approvals", {"leader"}, to_approve),
    (_("Cases filed but idle, handled but not closed"), "enforcement:idle_report", {"leader", "legal_reviewer"}),
    (_("Power list import / export"), "enforcement:powers_admin", {"leader", "admin"}),
    (_("Power & responsibility list (public)"), "enforcement:public_powers", None),
    (_("Penalty decisions (public)"), "enforcement:public_decisions", None),
]
