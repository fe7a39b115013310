"""A red-light notice reaches the people who must act on it: the handlers of the department it is addressed to
(and, for a referral, the leaders), in the inbox with a link to the case, and through the configured channels."""

from django.urls import reverse

from chengguan.cases.notify import remind
from chengguan.org.models import Role, RoleAssignment

LEVEL_TEXT = {
    "urge": "催办",
    "supervise": "督办",
    "referral": "移送问责",
}


def tell(notice) -> int:
    if notice.department_id is None:
        handlers = set()
    else:
        handlers = set(
            RoleAssignment.objects.filter(
                role=Role.DEPARTMENT_HANDLER, department__path__startswith=notice.department.path
            ).values_list("user_id", flat=True)
        )
    if notice.level == "referral":
        handlers |= set(RoleAssignment.objects.filter(role=Role.LEADER).values_list("user_id", flat=True))
    first_line = notice.text.split("\n", 1)[0]
    return remind(
        key=f"redlight:{notice.pk}",
        user_ids=handlers,
        at=notice.issued_at,
        link=reverse("cases:detail", args=[notice.case_id]),
        text=f"【{LEVEL_TEXT.get(notice.level, notice.level)} {notice.number}】{first_line}",
    )
