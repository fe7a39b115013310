"""Reads of the task lists, already limited to what the user may see."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from chengguan.org.models import Role, User

from .access import problem_q, task_q
from .ladder import task_light
from .models import Meeting, Problem, Task

LIGHTS = ("green", "yellow", "red")


def tasks(user) -> QuerySet:
    return Task.objects.filter(task_q(user)).select_related(
        "owner_department", "owner_region", "owner_person", "leader", "category"
    )


def problems(user) -> QuerySet:
    return Problem.objects.filter(problem_q(user)).select_related("department", "task", "case", "meeting")


def meetings(user) -> QuerySet:
    """Meetings whose decisions the user may see, and every meeting of the region for its leaders."""
    from chengguan.org.scope import scope_q

    from .access import PROBLEM_RAISERS

    seen = Task.objects.filter(task_q(user), meeting__isnull=False).values("meeting_id")
    return Meeting.objects.filter(
        Q(pk__in=seen) | scope_q(user, region_field="region", department_field=None, roles=PROBLEM_RAISERS)
    ).select_related("chair", "region").annotate(decisions=Count("tasks"))


def with_lights(rows, now: datetime) -> list:
    rows = list(rows)
    for t in rows:
        t.light = task_light(t, now)
    return rows


def overdue_count(user, now: datetime) -> int:
    return tasks(user).filter(status=Task.Status.OPEN, deadline__lt=now).count()


def board(user, leader: User, now: datetime) -> dict:
    """A leader's board: the tasks they lead, by category, with lights and counts."""
    rows = with_lights(tasks(user).filter(Q(leader=leader) | Q(category__lead=leader)).select_related(
        "category__programme").order_by("category__number", "deadline"), now)
    counts = {k: 0 for k in (*LIGHTS, "done")}
    groups = defaultdict(list)
    for t in rows:
        counts[t.light or ("done" if t.status == Task.Status.DONE else "")] = counts.get(
            t.light or ("done" if t.status == Task.Status.DONE else ""), 0) + 1
        groups[t.category].append(t)
    open_rows = [t for t in rows if t.is_open]
    return {
        "leader": leader,
        "counts": counts,
        "total": len(rows),
        "mean_percent": round(sum(t.percent for t in open_rows) / len(open_rows)) if open_rows else None,
        "groups": sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0].number if kv[0] else 0)),
    }


def leaders(user) -> QuerySet:
    """The leaders whose boards the user may open (the leaders of tasks the user sees)."""
    ids = set(tasks(user).exclude(leader=None).values_list("leader_id", flat=True))
    ids |= set(tasks(user).exclude(category__lead=None).values_list("category__lead_id", flat=True))
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def responsibility(user, now: datetime) -> list[dict]:
    """责任清单: per owner unit, its open tasks (how many overdue) and open problems."""
    open_tasks = tasks(user).filter(status=Task.Status.OPEN)
    by_unit = {}
    for row in open_tasks.values("owner_department", "owner_department__name").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=now))
    ):
        by_unit[row["owner_department"]] = {"name": row["owner_department__name"], "open": row["n"],
                                            "overdue": row["late"], "problems": 0, "people": set()}
    for row in problems(user).filter(status=Problem.Status.OPEN).values("department", "department__name").annotate(
        n=Count("pk")
    ):
        by_unit.setdefault(row["department"], {"name": row["department__name"], "open": 0, "overdue": 0,
                                               "people": set()})["problems"] = row["n"]
    for t in open_tasks.exclude(owner_person=None):
        by_unit[t.owner_department_id]["people"].add(str(t.owner_person))
    out = [{**v, "pk": k, "people": sorted(v["people"])} for k, v in by_unit.items()]
    for v in out:
        v.setdefault("problems", 0)
    return sorted(out, key=lambda v: (-v["overdue"], -v["open"], v["name"]))


def is_leader(user) -> bool:
    return user.role_assignments.filter(role=Role.LEADER).exists()
