"""Overdue tasks climb the red-light ladder the cases use (evaluation's 催办 → 督办 → 移送 levels, with the days to
comply from the assessment settings), and the light itself is the platform's traffic light (green < 80 % of the
working time used, yellow up to the deadline, red after it)."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.notify import remind
from chengguan.core.errors import Conflict, PermissionDenied
from chengguan.core.workcalendar import add_working_time, traffic_light
from chengguan.evaluation.models import NOTICE_ORDER, AssessmentSettings, NoticeLevel
from chengguan.org.models import RoleAssignment

from .access import REPORTERS, may_manage
from .models import Task, TaskNotice

NOTICE_TEXT = {
    NoticeLevel.URGE: "催办：任务 {number}（{title}）已超过完成时限（{deadline}），请于 {due} 前完成并报送进展。",
    NoticeLevel.SUPERVISE: "督办：任务 {number}（{title}）经催办仍未完成，责令于 {due} 前完成。",
    NoticeLevel.REFERRAL: "移送：任务 {number}（{title}）经催办、督办仍逾期未完成，移送监察部门（{due} 前回复）。",
}


def task_light(task: Task, now: datetime) -> str:
    if not task.is_open:
        return ""
    return traffic_light(task.started_at, task.deadline, now, "working_days")


def _days(level: str, settings: AssessmentSettings) -> float:
    return float({NoticeLevel.URGE: settings.urge_days, NoticeLevel.SUPERVISE: settings.supervise_days,
                  NoticeLevel.REFERRAL: settings.referral_days}[level])


def _next(level: str) -> str | None:
    if not level:
        return NOTICE_ORDER[0]
    i = NOTICE_ORDER.index(level)
    return NOTICE_ORDER[i + 1] if i + 1 < len(NOTICE_ORDER) else None


def responsible_ids(task: Task) -> set[int]:
    """The person responsible, or else the owner unit's staff; and the leading leader."""
    ids = {task.owner_person_id} if task.owner_person_id else set(
        RoleAssignment.objects.filter(department=task.owner_department, role__in=REPORTERS).values_list(
            "user_id", flat=True)
    )
    if task.leader_id:
        ids.add(task.leader_id)
    return {i for i in ids if i}


def notice_issue(*, actor, task: Task, at: datetime | None = None) -> TaskNotice:
    """The next rung for an overdue task. `actor=None` is the sweeper."""
    at = at or timezone.now()
    if actor is not None and not may_manage(actor, task):
        raise PermissionDenied(_("Only the leaders and administrators of the region urge tasks."), field="task")
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if not locked.is_open or locked.deadline >= at:
            raise Conflict(_("The task is not overdue: no notice is due."), field="task", code="not_overdue")
        wanted = _next(locked.notice_level)
        if wanted is None:
            raise Conflict(_("The task has been referred already."), field="task", code="already_referred")
        TaskNotice.objects.filter(task=locked, status=TaskNotice.Status.OPEN).update(
            status=TaskNotice.Status.ESCALATED, resolved_at=at)
        due = add_working_time(at, _days(wanted, AssessmentSettings.current()), "working_days")
        text = NOTICE_TEXT[wanted].format(
            number=locked.number, title=locked.title[:60],
            deadline=timezone.localtime(locked.deadline).strftime("%Y-%m-%d %H:%M"),
            due=timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
        )
        notice = TaskNotice.objects.create(task=locked, level=wanted, text=text[:300], issued_at=at,
                                           issued_by=actor, deadline=due)
        locked.notice_level, locked.notice_due = wanted, due
        locked.save(update_fields=["notice_level", "notice_due"])
        remind(key=f"task-notice:{notice.pk}", text=text, link=reverse("tasks:detail", args=[locked.pk]),
               user_ids=responsible_ids(locked), at=at)
    return notice


def sweep(*, now: datetime | None = None, limit: int = 500) -> dict:
    """Warn before the deadline (yellow), urge once red, escalate a notice not complied with in time. Idempotent."""
    now = now or timezone.now()
    warned = urged = escalated = 0
    for task in Task.objects.filter(status=Task.Status.OPEN, deadline__gt=now).order_by("deadline")[:limit]:
        if task_light(task, now) == "yellow":
            text = _("Task %(number)s (%(title)s) is due on %(deadline)s: report its progress.") % {
                "number": task.number, "title": task.title[:60],
                "deadline": timezone.localtime(task.deadline).strftime("%Y-%m-%d %H:%M")}
            warned += remind(key=f"task-due:{task.pk}:{task.deadline.isoformat()}", text=text,
                             link=reverse("tasks:detail", args=[task.pk]), user_ids=responsible_ids(task), at=now)
    overdue = Task.objects.filter(status=Task.Status.OPEN, deadline__lt=now).exclude(
        notice_level=NoticeLevel.REFERRAL)
    for task in overdue.order_by("deadline")[:limit]:
        if task.notice_level and task.notice_due and task.notice_due >= now:
            continue
        try:
            notice_issue(actor=None, task=task, at=now)
        except Conflict:
            continue
        if task.notice_level:
            escalated += 1
        else:
            urged += 1
    return {"warned": warned, "urged": urged, "escalated": escalated}


def sweep_job() -> dict:
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return sweep()
