"""Reads of cases, already filtered by the reader's data scope (anything else is a 404)."""

import math

from django.db.models import Case as When_
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from chengguan.org.models import LIGHT_ROLES, Role
from chengguan.org.scope import department_paths, region_paths, sees_everything

from .models import Attachment, Case, CaseDepartment, Notification
from .workflow import State

DEPARTMENT = Role.DEPARTMENT_HANDLER.value
# Every role except department handlers and the light roles sees the cases of its region subtree.
REGION_VIEW_ROLES = frozenset(r.value for r in Role) - {DEPARTMENT} - LIGHT_ROLES


def scope_filter(user) -> Q:
    """The reader's cases (`scope_key` names what it depends on)."""
    if sees_everything(user):
        return Q()
    parts = [Q(community__path__startswith=p) for p in region_paths(user, REGION_VIEW_ROLES)]
    dept_paths = department_paths(user, {DEPARTMENT})
    if dept_paths:
        dept_q = Q()
        for p in dept_paths:
            dept_q |= Q(department__path__startswith=p)
        parts.append(Q(pk__in=CaseDepartment.objects.filter(dept_q).values("case_id")))
    if not parts:
        return Q(pk__in=[])
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def visible_cases(user) -> QuerySet:
    if not user or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(scope_filter(user))


def case_for(user, pk) -> Case:
    """The case `pk` if `user` may see it; otherwise 404 (never reveal that it exists)."""
    try:
        return (
            visible_cases(user)
            .select_related(
                "matter",
                "community",
                "street",
                "district",
                "current_department",
                "unit_grid",
                "filing_condition",
                "assignee",
                "reporter",
                "merged_into",
                "component",
                "responsibility_grid",
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


LIST_RELATED = ("matter", "community", "street", "district", "current_department", "assignee")


def case_list(
    user,
    *,
    state=None,
    states=None,
    source=None,
    matter_code=None,
    district_id=None,
    department_id=None,
    number=None,
    since=None,
    until=None,
    overdue=None,
    now=None,
    q=None,
) -> QuerySet:
    qs = visible_cases(user).select_related(*LIST_RELATED)
    if state:
        qs = qs.filter(state=state)
    if states:
        qs = qs.filter(state__in=list(states))
    if source:
        qs = qs.filter(source=source)
    if matter_code:
        qs = qs.filter(matter__code=matter_code)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if department_id:
        qs = qs.filter(current_department_id=department_id)
    if number:
        qs = qs.filter(number__icontains=number.strip())
    if since:
        qs = qs.filter(reported_at__gte=since)
    if until:
        qs = qs.filter(reported_at__lt=until)
    if overdue and now is not None:
        qs = qs.filter(is_open=True, deadline__lt=now)
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(address__icontains=q) | Q(number__icontains=q))
    return qs


# ---- queues per role --------------------------------------------------------------------------------------


def byqueue_urgency(qs) -> QuerySet:
    """Queue order: work that can move first (a hung-up case waits last), then urgent before pressing before
    normal, then the nearest deadline (an overdue case's is the earliest), then the oldest."""
    parked = When_(When(state=State.HUNG_UP, then=Value(1)), default=Value(0), output_field=IntegerField())
    urgency = When_(
        When(severity="urgent", then=Value(0)),
        When(severity="pressing", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(queue_parked=parked, queue_urgency=urgency).order_by(
        "queue_parked", "queue_urgency", F("deadline").asc(nulls_last=True), "pk"
    )


def operator_queue(user) -> QuerySet:
    return byqueue_urgency(case_list(user, states=[State.REPORTED]))


def shift_leader_queue(user) -> QuerySet:
    return byqueue_urgency(case_list(user, states=[State.ACCEPTED, State.CHECK_PASSED, State.SELF_HANDLED]))


def dispatcher_queue(user) -> QuerySet:
    return byqueue_urgency(case_list(user, states=[State.FILED, State.RETURNED, State.DISTRICT_DISPATCHED]))


def department_inbox(user) -> QuerySet:
    """Cases currently with the user's department subtree (handling or hung up)."""
    paths = department_paths(user, {DEPARTMENT})
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(current_department__path__startswith=p)
    if sees_everything(user):
        q = Q(current_department__isnull=False)
    return byqueue_urgency(
        Case.objects.filter(q, state__in=[State.DISPATCHED, State.HUNG_UP]).select_related(*LIST_RELATED)
    )


def supervisor_tasks(user) -> QuerySet:
    """Verify and check tasks assigned to the supervisor or to a responsibility grid of theirs."""
    mine = Q(assignee=user) | Q(responsibility_grid__supervisors=user)
    ids = visible_cases(user).filter(mine, state__in=[State.VERIFYING, State.CHECKING]).values("pk")
    return byqueue_urgency(Case.objects.filter(pk__in=ids).select_related(*LIST_RELATED))


def department_workload(user) -> list[dict]:
    """Open cases per department currently handling them (for the dispatcher's routing choice)."""
    from django.db.models import Count

    return list(
        visible_cases(user)
        .filter(state__in=[State.DISPATCHED, State.HUNG_UP], current_department__isnull=False)
        .values("current_department_id", "current_department__name")
        .annotate(open=Count("pk"))
        .order_by("-open")
    )


# ---- duplicates -------------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lng1, lat1, lng2, lat2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def scope_key(user) -> tuple:
    """What `scope_filter(user)` depends on (the same key, the same filter)."""
    if sees_everything(user):
        return (True,)
    return (False, tuple(region_paths(user, REGION_VIEW_ROLES)), tuple(department_paths(user, {DEPARTMENT})))


def inbox(user) -> QuerySet:
    return Notification.objects.filter(user=user).select_related("case")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def reused_photos(photos, user=None) -> dict:
    """Photos whose bytes (SHA-256) were uploaded before, on this case or another: {photo pk: the earlier
    attachment}. A check photo identical to the department's after-photo proves nothing was looked at."""
    photos = [p for p in photos if p.sha256]
    if not photos:
        return {}
    earlier = {}
    rows = Attachment.objects.filter(sha256__in={p.sha256 for p in photos}).select_related("case").order_by("pk")
    for row in rows:
        earlier.setdefault(row.sha256, []).append(row)
    found = {}
    for p in photos:
        before = [a for a in earlier.get(p.sha256, []) if a.pk < p.pk]
        if before:
            found[p.pk] = before[0]
    # the other case's number is shown only to whom may see that case
    visible = set(visible_cases(user).filter(pk__in={a.case_id for a in found.values()}).values_list("pk", flat=True))
    for a in found.values():
        a.case_visible = a.case_id in visible
    return found
