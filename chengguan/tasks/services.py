"""Every change to the task lists: set a task, add a milestone, report progress (the closing report completes the
task, complies with its notice and resolves its problems), record a meeting and turn its decisions into tasks,
put a problem on the list with the task that fixes it."""

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.uploads import files_removed_on_error
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.core.workcalendar import add_working_time
from chengguan.org.scope import user_covers_region

from . import evidence
from .access import (
    PROBLEM_RAISERS,
    is_manager,
    may_manage,
    may_raise_problems,
    may_report,
    require_manager_for,
)
from .models import Meeting, Milestone, Problem, ProgressReport, Task, TaskNotice


def _text(value: str, field: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("This field is required."), field=field)
    if len(value) > limit:
        raise ValidationError(_("At most %(max)s characters.") % {"max": limit}, field=field)
    return value


def _deadline(start: datetime, *, due: date | None, working_days: int | None) -> datetime:
    """A date means the end of that day; a number of working days counts on the working-time calendar."""
    if due is not None:
        end = timezone.make_aware(datetime.combine(due, time(23, 59, 59)))
    elif working_days is not None:
        if working_days < 1:
            raise ValidationError(_("Give at least one working day."), field="working_days")
        end = add_working_time(start, working_days, "working_days")
    else:
        raise ValidationError(_("Give a deadline or a number of working days."), field="deadline")
    if end <= start:
        raise ValidationError(_("The deadline must lie in the future."), field="deadline")
    return end


def _number(prefix: str, model, at: datetime) -> str:
    head = f"{prefix}{timezone.localtime(at).year}-"
    last = model.objects.filter(number__startswith=head).order_by("-number").values_list("number", flat=True).first()
    return f"{head}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def task_create(*, actor, title: str, owner_department, owner_region=None, owner_person=None, leader=None,
                kind: str = Task.Kind.WORK, description: str = "", due: date | None = None,
                working_days: int | None = None, programme=None, category=None, meeting=None,
                at: datetime | None = None, _checked: bool = False) -> Task:
    """`_checked` is for `problem_raise`, which has checked that the actor may set the rectification task."""
    at = at or timezone.now()
    region = owner_region or owner_department.region
    if region is None:
        raise ValidationError(_("Name the region the task belongs to."), field="owner_region")
    if not _checked:
        require_manager_for(actor, region)
    if kind not in Task.Kind.values:
        raise ValidationError(_("Unknown task kind."), field="kind")
    if category is not None and programme is not None and category.programme_id != programme.pk:
        raise ValidationError(_("The category belongs to another programme."), field="category")
    task = Task(
        title=_text(title, "title", limit=200), description=_text(description, "description", limit=4000,
                                                                   required=False),
        kind=kind, programme=programme or (category.programme if category else None), category=category,
        meeting=meeting, owner_department=owner_department, owner_region=region, owner_person=owner_person,
        leader=leader, created_by=actor, created_at=at, started_at=at,
        deadline=_deadline(at, due=due, working_days=working_days),
    )
    try:
        with transaction.atomic():
            task.number = _number("RW", Task, at)
            task.save()
    except IntegrityError as exc:
        raise Conflict(_("Another task was numbered at the same moment; try again."), field="number") from exc
    return task


def milestone_add(*, actor, task: Task, title: str, due: date) -> Milestone:
    if not may_manage(actor, task):
        raise PermissionDenied(_("Only the leaders and administrators of the region set milestones."), field="task")
    if not task.is_open:
        raise Conflict(_("The task is closed."), field="task")
    return Milestone.objects.create(task=task, title=_text(title, "title", limit=150),
                                    due=timezone.make_aware(datetime.combine(due, time(23, 59, 59))))


def progress_report(*, actor, task: Task, percent: int, text: str, files=(), milestone: Milestone | None = None,
                    closes: bool = False, at: datetime | None = None) -> ProgressReport:
    """A progress report with its evidence; `closes` completes the task (100 % and at least one evidence file
    on the task)."""
    at = at or timezone.now()
    if not may_report(actor, task):
        if not task.is_open:
            raise Conflict(_("The task is closed."), field="task")
        raise PermissionDenied(_("Only the owner unit's staff and the person responsible report progress."),
                               field="task")
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError(_("Progress is a whole number from 0 to 100."), field="percent")
    text = _text(text, "text", limit=4000)
    if closes and percent != 100:
        raise ValidationError(_("A task is completed at 100 %."), field="percent")
    if milestone is not None and milestone.task_id != task.pk:
        raise ValidationError(_("The milestone belongs to another task."), field="milestone")
    checked = evidence.check_files(task, files)
    if closes and not checked and not task.reports.filter(evidence__isnull=False).exists():
        raise ValidationError(_("Attach evidence of the result to complete the task."), field="files")
    with files_removed_on_error(), transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if not locked.is_open:
            raise Conflict(_("The task is closed."), field="task")
        report = ProgressReport.objects.create(task=locked, author=actor, at=at, percent=percent, text=text,
                                               milestone=milestone, closes=closes)
        evidence.store(report, checked)
        if milestone is not None and milestone.done_at is None:
            Milestone.objects.filter(pk=milestone.pk).update(done_at=at)
        locked.percent = percent
        fields = ["percent"]
        if closes:
            locked.status, locked.closed_at = Task.Status.DONE, at
            fields += ["status", "closed_at"]
            TaskNotice.objects.filter(task=locked, status=TaskNotice.Status.OPEN).update(
                status=TaskNotice.Status.COMPLIED, resolved_at=at)
            Problem.objects.filter(task=locked, status=Problem.Status.OPEN).update(
                status=Problem.Status.RESOLVED, resolved_at=at)
        locked.save(update_fields=fields)
    return report


def meeting_record(*, actor, kind: str, title: str, held_at: datetime, region, chair=None, attendees: str = "",
                   minutes: str = "", at: datetime | None = None) -> Meeting:
    if not is_manager(actor) or not user_covers_region(actor, region, roles={"leader", "admin"}):
        raise PermissionDenied(_("Only the leaders and administrators of the region record meetings."),
                               field="region")
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Unknown meeting kind."), field="kind")
    return Meeting.objects.create(
        kind=kind, title=_text(title, "title", limit=150), held_at=held_at, chair=chair or actor, region=region,
        attendees=_text(attendees, "attendees", limit=2000, required=False),
        minutes=_text(minutes, "minutes", limit=8000, required=False), recorded_by=actor,
        recorded_at=at or timezone.now(),
    )


def meeting_decide(*, actor, meeting: Meeting, title: str, owner_department, owner_person=None,
                   due: date | None = None, working_days: int | None = None, at: datetime | None = None) -> Task:
    """A meeting's decision becomes a task with an owner unit and person; the chair leads it."""
    return task_create(actor=actor, title=title, owner_department=owner_department, owner_person=owner_person,
                       owner_region=meeting.region if owner_department.region is None else None,
                       leader=meeting.chair, kind=Task.Kind.DECISION, due=due, working_days=working_days,
                       meeting=meeting, description=_("Decided at %(meeting)s.") % {"meeting": meeting.title},
                       at=at)


def problem_raise(*, actor, title: str, source: str, department, region=None, task: Task | None = None,
                  description: str = "", case=None, meeting: Meeting | None = None, owner_person=None,
                  due: date | None = None, working_days: int | None = None, at: datetime | None = None) -> Problem:
    """A problem on the list, tied to its responsible unit and to a task: an open one, or a new rectification task
    set with the deadline given."""
    at = at or timezone.now()
    if not may_raise_problems(actor):
        raise PermissionDenied(_("Only leaders, administrators and the command centre raise problems."),
                               field="source")
    if source not in Problem.Source.values:
        raise ValidationError(_("Unknown problem source."), field="source")
    if source == Problem.Source.CASE and case is None:
        raise ValidationError(_("Name the case the problem comes from."), field="case")
    if source == Problem.Source.MEETING and meeting is None:
        raise ValidationError(_("Name the meeting the problem comes from."), field="meeting")
    if case is not None:
        from chengguan.cases.selectors import visible_cases

        if not visible_cases(actor).filter(pk=case.pk).exists():
            raise ValidationError(_("No such case."), field="case")
    region = region or (case.street if case is not None else None) or department.region
    if region is None or not user_covers_region(actor, region, roles=PROBLEM_RAISERS):
        raise PermissionDenied(_("The problem lies outside your area."), field="region")
    title = _text(title, "title", limit=200)
    with transaction.atomic():
        if task is None:
            task = task_create(actor=actor, title=title, owner_department=department, owner_region=region,
                               owner_person=owner_person, kind=Task.Kind.RECTIFICATION, due=due,
                               working_days=working_days, description=description, meeting=meeting, at=at,
                               _checked=True)
        elif not task.is_open:
            raise ValidationError(_("The task is closed; choose an open one."), field="task")
        elif not user_covers_region(actor, task.owner_region, roles=PROBLEM_RAISERS):
            raise ValidationError(_("No such task."), field="task")
        problem = Problem(title=title, description=_text(description, "description", limit=4000, required=False),
                          source=source, case=case, meeting=meeting, department=department, region=region,
                          task=task, raised_by=actor, raised_at=at)
        problem.number = _number("WT", Problem, at)
        problem.save()
    return problem
