"""The 三单制 pages: the task list, one task (progress with evidence, milestones, notices), meetings and their
decisions, the problem list, the responsibility list and a leader's progress board."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chengguan.core.errors import DomainError, NotFound, PermissionDenied
from chengguan.core.media import file_response
from chengguan.org.models import User

from . import selectors
from .access import get_task, is_manager, may_manage, may_raise_problems, may_report, require_staff
from .forms import DecisionForm, MeetingForm, MilestoneForm, ProblemForm, ProgressForm, TaskForm
from .ladder import notice_issue, task_light
from .models import ProgressEvidence, Task
from .services import (
    meeting_decide,
    meeting_record,
    milestone_add,
    problem_raise,
    progress_report,
    task_create,
)


def staff_page(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_staff(request.user)
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))


@require_GET
@staff_page
def index(request):
    now = timezone.now()
    qs = selectors.tasks(request.user)
    status = request.GET.get("status", "open")
    if status in Task.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("overdue"):
        qs = qs.filter(status=Task.Status.OPEN, deadline__lt=now)
    rows = selectors.with_lights(qs.order_by("deadline")[:300], now)
    return render(request, "tasks/index.html", {
        "rows": rows, "status": status, "statuses": Task.Status.choices, "manager": is_manager(request.user),
        "form": TaskForm() if is_manager(request.user) else None, "now": now,
    })


@require_POST
@staff_page
def create(request):
    form = TaskForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:index")
    d = form.cleaned_data
    try:
        task = task_create(actor=request.user, title=d["title"], kind=d["kind"], description=d["description"],
                           owner_department=d["owner_department"], owner_person=d["owner_person"],
                           leader=d["leader"], due=d["due"], working_days=d["working_days"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("tasks:index")
    messages.success(request, _("Task %(number)s set.") % {"number": task.number})
    return redirect("tasks:detail", task.pk)


@require_GET
@staff_page
def detail(request, pk):
    task = get_task(request.user, pk)
    now = timezone.now()
    reports = task.reports.select_related("author", "milestone").prefetch_related("evidence")
    return render(request, "tasks/detail.html", {
        "task": task, "light": task_light(task, now), "reports": reports, "milestones": task.milestones.all(),
        "notices": task.notices.all(), "problems": task.problems.select_related("department", "case"),
        "may_report": may_report(request.user, task), "may_manage": may_manage(request.user, task),
        "progress_form": ProgressForm(initial={"percent": task.percent}), "milestone_form": MilestoneForm(),
        "overdue": task.is_open and task.deadline < now,
    })


@require_POST
@staff_page
def report(request, pk):
    task = get_task(request.user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("tasks:detail", pk)
    d = form.cleaned_data
    milestone = task.milestones.filter(pk=d["milestone"]).first() if d["milestone"] else None
    try:
        progress_report(actor=request.user, task=task, percent=d["percent"], text=d["text"],
                        files=request.FILES.getlist("files"), milestone=milestone, closes=d["closes"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("tasks:detail", pk)
    messages.success(request, _("Task completed.") if d["closes"] else _("Progress reported."))
    return redirect("tasks:detail", pk)


@require_POST
@staff_page
def milestone(request, pk):
    task = get_task(request.user, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            milestone_add(actor=request.user, task=task, **form.cleaned_data)
            messages.success(request, _("Milestone added."))
        except PermissionDenied:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("tasks:detail", pk)


@require_POST
@staff_page
def urge(request, pk):
    task = get_task(request.user, pk)
    try:
        notice = notice_issue(actor=request.user, task=task)
        messages.success(request, notice.text)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("tasks:detail", pk)


@require_GET
@staff_page
def evidence(request, pk, evidence_id):
    task = get_task(request.user, pk)
    item = get_object_or_404(ProgressEvidence, pk=evidence_id, report__task=task)
    return file_response(item.file, content_type=item.content_type, filename=item.original_name)


@staff_page
def meetings(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _form_errors(request, form)
        else:
            try:
                m = meeting_record(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Meeting recorded: add its decisions."))
                return redirect("tasks:meeting", m.pk)
            except PermissionDenied:
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
    return render(request, "tasks/meetings.html", {
        "rows": selectors.meetings(request.user)[:100], "form": form if is_manager(request.user) else None,
    })


@staff_page
def meeting(request, pk):
    m = selectors.meetings(request.user).filter(pk=pk).first()
    if m is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    manager = is_manager(request.user)
    if request.method == "POST":
        if not manager:
            raise HttpForbidden
        if not form.is_valid():
            _form_errors(request, form)
        else:
            try:
                task = meeting_decide(actor=request.user, meeting=m, **form.cleaned_data)
                messages.success(request, _("Decision recorded as task %(number)s.") % {"number": task.number})
                return redirect("tasks:meeting", m.pk)
            except PermissionDenied:
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
    decisions = selectors.with_lights(selectors.tasks(request.user).filter(meeting=m), timezone.now())
    return render(request, "tasks/meeting.html", {"meeting": m, "decisions": decisions,
                                                  "form": form if manager else None})


@staff_page
def problems(request):
    from chengguan.cases.selectors import visible_cases

    user = request.user
    form = ProblemForm(request.POST or None, user=user)
    if request.method == "POST":
        if not may_raise_problems(user):
            raise HttpForbidden
        if not form.is_valid():
            _form_errors(request, form)
        else:
            d = form.cleaned_data
            try:
                case = None
                if d["case_number"]:
                    case = visible_cases(user).filter(number=d["case_number"].strip()).first()
                    if case is None:
                        raise DomainError(_("No such case."), field="case")
                p = problem_raise(actor=user, title=d["title"], source=d["source"], description=d["description"],
                                  department=d["department"], case=case, meeting=d["meeting"], task=d["task"],
                                  due=d["due"], working_days=d["working_days"])
                messages.success(request, _("Problem %(number)s put on the list with task %(task)s.")
                                 % {"number": p.number, "task": p.task.number})
                return redirect("tasks:problems")
            except PermissionDenied:
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
    status = request.GET.get("status", "open")
    qs = selectors.problems(user)
    if status in ("open", "resolved"):
        qs = qs.filter(status=status)
    return render(request, "tasks/problems.html", {
        "rows": qs[:300], "status": status, "form": form if may_raise_problems(user) else None,
    })


@require_GET
@staff_page
def responsibility(request):
    return render(request, "tasks/responsibility.html",
                  {"rows": selectors.responsibility(request.user, timezone.now())})


@require_GET
@staff_page
def board(request):
    user = request.user
    leaders = list(selectors.leaders(user))
    wanted = request.GET.get("leader")
    leader = next((u for u in leaders if str(u.pk) == wanted), None)
    if wanted and leader is None:
        raise Http404
    if leader is None:
        leader = user if selectors.is_leader(user) else (leaders[0] if leaders else None)
    data = selectors.board(user, leader, timezone.now()) if leader else None
    return render(request, "tasks/board.html", {"leaders": leaders, "board": data,
                                                "leader": leader if isinstance(leader, User) else None})
