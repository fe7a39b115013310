"""/api/v1/tasks: the task list, progress reports (multipart with evidence files), meetings and their decisions,
the problem list and a leader's board. Same rules as the pages (services and access)."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from chengguan.core.errors import NotFound, ValidationError
from chengguan.org.models import Department, Region, User

from . import selectors
from .access import get_task, require_staff
from .ladder import task_light
from .models import Meeting, Task
from .services import meeting_decide, meeting_record, problem_raise, progress_report, task_create

API_PREFIX = "/tasks"
router = Router(tags=["tasks"])


class TaskListItemOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    status: str
    owner_department: str
    owner_person: str | None
    leader: str | None
    deadline: datetime
    percent: int
    light: str
    notice_level: str


class TaskReportOut(Schema):
    id: int
    at: datetime
    author: str
    percent: int
    text: str
    closes: bool
    evidence: list[dict]


class TaskDetailOut(TaskListItemOut):
    description: str
    milestones: list[dict]
    reports: list[TaskReportOut]
    notices: list[dict]
    problems: list[dict]


class TaskCreateIn(Schema):
    title: str
    owner_department: str  # department code
    owner_person: str | None = None  # username
    leader: str | None = None
    kind: str = "work"
    description: str = ""
    due: date | None = None
    working_days: int | None = None


class TaskMeetingIn(Schema):
    kind: str
    title: str
    held_at: datetime
    region: str  # statistical code
    attendees: str = ""
    minutes: str = ""


class TaskDecisionIn(Schema):
    title: str
    owner_department: str
    owner_person: str | None = None
    due: date | None = None
    working_days: int | None = None


class TaskProblemIn(Schema):
    title: str
    source: str
    department: str
    description: str = ""
    case_number: str | None = None
    meeting: int | None = None
    task: int | None = None
    due: date | None = None
    working_days: int | None = None


def _item(t: Task, now) -> dict:
    return {"id": t.pk, "number": t.number, "title": t.title, "kind": t.kind, "status": t.status,
            "owner_department": t.owner_department.code, "owner_person": t.owner_person.username
            if t.owner_person else None, "leader": t.leader.username if t.leader else None,
            "deadline": t.deadline, "percent": t.percent, "light": task_light(t, now), "notice_level": t.notice_level}


def _detail(t: Task) -> dict:
    now = timezone.now()
    return {
        **_item(t, now), "description": t.description,
        "milestones": [{"id": m.pk, "title": m.title, "due": m.due, "done_at": m.done_at} for m in t.milestones.all()],
        "reports": [{"id": r.pk, "at": r.at, "author": r.author.username, "percent": r.percent, "text": r.text,
                     "closes": r.closes, "evidence": [{"id": e.pk, "name": e.original_name, "sha256": e.sha256,
                                                       "content_type": e.content_type, "size": e.size}
                                                      for e in r.evidence.all()]}
                    for r in t.reports.select_related("author").prefetch_related("evidence")],
        "notices": [{"level": n.level, "status": n.status, "issued_at": n.issued_at, "deadline": n.deadline,
                     "text": n.text} for n in t.notices.all()],
        "problems": [{"number": p.number, "title": p.title, "status": p.status} for p in t.problems.all()],
    }


def _department(code: str, field: str) -> Department:
    d = Department.objects.filter(code=code, is_active=True).first()
    if d is None:
        raise ValidationError("Unknown department code.", field=field)
    return d


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    u = User.objects.filter(username=username, is_active=True).first()
    if u is None:
        raise ValidationError("Unknown user.", field=field)
    return u


@router.get("", response=list[TaskListItemOut], summary="Tasks I may see (filter by status, overdue)")
def task_list(request, status: str = "open", overdue: bool = False, limit: int = 200):
    require_staff(request.user)
    now = timezone.now()
    qs = selectors.tasks(request.user)
    if status in Task.Status.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Task.Status.OPEN, deadline__lt=now)
    return [_item(t, now) for t in qs.order_by("deadline")[: max(1, min(limit, 1000))]]


@router.post("", response={201: TaskDetailOut}, summary="Set a task (leaders and administrators)")
def task_new(request, payload: TaskCreateIn):
    require_staff(request.user)
    task = task_create(actor=request.user, title=payload.title,
                       owner_department=_department(payload.owner_department, "owner_department"),
                       owner_person=_user(payload.owner_person, "owner_person"),
                       leader=_user(payload.leader, "leader"), kind=payload.kind, description=payload.description,
                       due=payload.due, working_days=payload.working_days)
    return Status(201, _detail(task))


@router.get("/board", summary="A leader's progress board (counts by light, tasks by category)")
def task_board(request, leader: str | None = None):
    require_staff(request.user)
    who = _user(leader, "leader") if leader else request.user
    if who not in list(selectors.leaders(request.user)):
        raise NotFound("No board for this leader.", field="leader")
    data = selectors.board(request.user, who, timezone.now())
    return {"leader": who.username, "counts": data["counts"], "total": data["total"],
            "mean_percent": data["mean_percent"],
            "categories": [{"category": str(c) if c else None, "tasks": [t.number for t in rows]}
                           for c, rows in data["groups"]]}


@router.get("/problems", summary="The problem list I may see")
def problem_list(request, status: str = "open"):
    require_staff(request.user)
    qs = selectors.problems(request.user)
    if status in ("open", "resolved"):
        qs = qs.filter(status=status)
    return [{"number": p.number, "title": p.title, "source": p.source, "department": p.department.code,
             "task": p.task.number, "case": p.case.number if p.case else None, "status": p.status}
            for p in qs[:500]]


@router.post("/problems", response={201: dict}, summary="Put a problem on the list (with its task)")
def problem_new(request, payload: TaskProblemIn):
    from chengguan.cases.selectors import visible_cases

    require_staff(request.user)
    case = None
    if payload.case_number:
        case = visible_cases(request.user).filter(number=payload.case_number).first()
        if case is None:
            raise ValidationError("No such case.", field="case_number")
    meeting = selectors.meetings(request.user).filter(pk=payload.meeting).first() if payload.meeting else None
    if payload.meeting and meeting is None:
        raise ValidationError("No such meeting.", field="meeting")
    task = selectors.tasks(request.user).filter(pk=payload.task).first() if payload.task else None
    if payload.task and task is None:
        raise ValidationError("No such task.", field="task")
    p = problem_raise(actor=request.user, title=payload.title, source=payload.source,
                      department=_department(payload.department, "department"), description=payload.description,
                      case=case, meeting=meeting, task=task, due=payload.due, working_days=payload.working_days)
    return Status(201, {"number": p.number, "task": p.task.number, "status": p.status})


@router.get("/meetings", summary="Meetings and how many decisions each made")
def meeting_list(request):
    require_staff(request.user)
    return [{"id": m.pk, "kind": m.kind, "title": m.title, "held_at": m.held_at, "decisions": m.decisions}
            for m in selectors.meetings(request.user)[:200]]


@router.post("/meetings", response={201: dict}, summary="Record a meeting (leaders and administrators)")
def meeting_new(request, payload: TaskMeetingIn):
    require_staff(request.user)
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise ValidationError("Unknown region code.", field="region")
    m = meeting_record(actor=request.user, kind=payload.kind, title=payload.title, held_at=payload.held_at,
                       region=region, attendees=payload.attendees, minutes=payload.minutes)
    return Status(201, {"id": m.pk, "title": m.title})


@router.post("/meetings/{meeting_id}/decisions", response={201: TaskDetailOut},
             summary="A meeting decision becomes a task with an owner")
def meeting_decision(request, meeting_id: int, payload: TaskDecisionIn):
    require_staff(request.user)
    meeting = selectors.meetings(request.user).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound("No such meeting.", field="meeting")
    task = meeting_decide(actor=request.user, meeting=get_object_or_404(Meeting, pk=meeting.pk),
                          title=payload.title, owner_department=_department(payload.owner_department,
                                                                            "owner_department"),
                          owner_person=_user(payload.owner_person, "owner_person"), due=payload.due,
                          working_days=payload.working_days)
    return Status(201, _detail(task))


@router.get("/{task_id}", response=TaskDetailOut, summary="One task with milestones, reports, notices, problems")
def task_get(request, task_id: int):
    require_staff(request.user)
    return _detail(get_task(request.user, task_id))


@router.post("/{task_id}/progress", response={201: TaskDetailOut},
             summary="Report progress with evidence files (multipart); closes=true completes the task")
def task_progress(request, task_id: int, percent: int = Form(...), text: str = Form(...),
                  closes: bool = Form(False), milestone: int | None = Form(None),
                  files: list[UploadedFile] = File(None)):
    require_staff(request.user)
    task = get_task(request.user, task_id)
    ms = task.milestones.filter(pk=milestone).first() if milestone else None
    if milestone and ms is None:
        raise ValidationError("No such milestone on this task.", field="milestone")
    progress_report(actor=request.user, task=task, percent=percent, text=text, files=files or [], milestone=ms,
                    closes=closes)
    return Status(201, _detail(get_task(request.user, task_id)))
