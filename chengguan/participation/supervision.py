"""Social supervisors (社会监督员: 人大代表、政协委员 …) read the enforcement outcomes of their region — decisions
disclosed to the public and closed cases — without the parties' personal data, and comment; the leaders, legal
office or administrators of the case's region answer within ANSWER_DAYS working days; a comment past its due date
reminds them (job)."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.notify import remind
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.core.workcalendar import add_working_time
from chengguan.enforcement.models import EnforcementCase
from chengguan.enforcement.privacy import public_party
from chengguan.org.models import RoleAssignment
from chengguan.org.scope import scope_q, sees_everything

from .access import ANSWERERS, SOCIAL_SUPERVISOR, may_answer, require_role
from .models import SupervisorComment

ANSWER_DAYS = 5
FINISHED = ("closed", "archived")


def outcomes(user) -> QuerySet:
    """Disclosed (not withdrawn) decisions and closed cases in the supervisor's region."""
    published = Q(disclosed_at__isnull=False, disclosure_withdrawn_at__isnull=True) | Q(state__in=FINISHED)
    qs = EnforcementCase.objects.filter(published).select_related("body", "power_item", "region")
    if not sees_everything(user):
        qs = qs.filter(scope_q(user, region_field="region", roles={SOCIAL_SUPERVISOR, *ANSWERERS}))
    return qs.order_by("-decided_at", "-pk")


def outcome_card(case: EnforcementCase) -> dict:
    """What a supervisor reads: the act, the outcome and the dates — the party only as disclosed to the public."""
    from chengguan.enforcement.services.base import penalty_text

    disclosed = case.disclosed_at is not None and case.disclosure_withdrawn_at is None
    party = public_party(case)[0] if disclosed else ""
    return {
        "pk": case.pk, "number": case.decision_number or case.number, "title": case.title,
        "power": case.power_item.name if case.power_item else "", "body": case.body.name,
        "region": case.region.name, "outcome": case.get_outcome_display() if case.outcome else "",
        "penalty": penalty_text(case) if case.outcome == "penalty" else "", "decided_at": case.decided_at,
        "state": case.get_state_display(), "party": party, "disclosed": disclosed,
    }


def outcome_get(user, pk) -> EnforcementCase:
    case = outcomes(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("No such outcome."), field="case")
    return case


def comment_add(*, actor, case: EnforcementCase, text: str, at=None) -> SupervisorComment:
    require_role(actor, SOCIAL_SUPERVISOR, message=_("Only social supervisors comment on outcomes."))
    outcome_get(actor, case.pk)
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError(_("Write your comment (at least 5 characters)."), field="text")
    if len(text) > 2000:
        raise ValidationError(_("At most %(max)s characters.") % {"max": 2000}, field="text")
    at = at or timezone.now()
    comment = SupervisorComment.objects.create(supervisor=actor, case=case, text=text, at=at,
                                               due=add_working_time(at, ANSWER_DAYS, "working_days"))
    remind(key=f"supervisor-comment:{comment.pk}", user_ids=answerer_ids(case), at=at,
           link=reverse("participation:comments"),
           text=_("A social supervisor commented on %(case)s: answer by %(due)s.")
           % {"case": case.decision_number or case.number or case.clue_number,
              "due": timezone.localtime(comment.due).strftime("%Y-%m-%d %H:%M")})
    return comment


def answerer_ids(case) -> set[int]:
    rows = RoleAssignment.objects.filter(role__in=ANSWERERS).select_related("region")
    return {a.user_id for a in rows if a.region_id and case.region.path.startswith(a.region.path)}


def comments_to_answer(user) -> QuerySet:
    qs = SupervisorComment.objects.select_related("case__region", "supervisor")
    if not sees_everything(user):
        qs = qs.filter(scope_q(user, region_field="case__region", roles=ANSWERERS))
    return qs


def comment_answer(*, actor, comment: SupervisorComment, answer: str, at=None) -> SupervisorComment:
    if not may_answer(actor, comment.case):
        raise PermissionDenied(_("Only the leaders, the legal office and administrators of the region answer."),
                               field="comment")
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise ValidationError(_("Write the answer (at least 5 characters)."), field="answer")
    at = at or timezone.now()
    with transaction.atomic():
        locked = SupervisorComment.objects.select_for_update().get(pk=comment.pk)
        if locked.status != SupervisorComment.Status.OPEN:
            raise Conflict(_("The comment has been answered already."), field="comment")
        locked.status, locked.answer, locked.answered_by, locked.answered_at = (
            SupervisorComment.Status.ANSWERED, answer[:4000], actor, at)
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        remind(key=f"supervisor-answer:{locked.pk}", user_ids=[locked.supervisor_id], at=at,
               link=reverse("participation:outcome", args=[locked.case_id]),
               text=_("Your comment has been answered."))
    return locked


def overdue_sweep(now=None) -> int:
    """Comments past their due date without an answer remind the answerers once."""
    now = now or timezone.now()
    told = 0
    for c in SupervisorComment.objects.filter(status="open", due__lt=now).select_related("case__region")[:500]:
        told += remind(key=f"supervisor-comment-late:{c.pk}", user_ids=answerer_ids(c.case), at=now,
                       link=reverse("participation:comments"),
                       text=_("A social supervisor's comment is past its answer date (%(due)s).")
                       % {"due": timezone.localtime(c.due).strftime("%Y-%m-%d %H:%M")})
    return told


def overdue_job() -> int:
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return overdue_sweep()
