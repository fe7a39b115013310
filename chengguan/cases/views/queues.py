"""The queues per role: filters kept across actions, the next item, and batch actions.

A queue page links each case as `/cases/<pk>/?queue=<the queue's address with its filters>`; the case page then
offers 返回队列 and 下一件, and an action done there goes on to the next case of the same queue (or back to the
queue when it is empty). A batch action runs the same service once per case, each in its own transaction with
its own history row, and reports which cases were refused and why.
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.catalog.services import suggest_department
from chengguan.core.errors import DomainError
from chengguan.org.models import Department, Region
from chengguan.org.scope import has_role, sees_everything

from .. import workflow
from ..selectors import case_for, department_inbox, dispatcher_queue, operator_queue, shift_leader_queue
from ..services import case_act
from ..workflow import State

PAGE_SIZE = 50
BATCH_MAX = 100


def _filing_queue(user):
    return shift_leader_queue(user)


# url name → (roles, title, queue, batch action, states per `step` filter)
QUEUES = {
    "cases:operator": (("operator",), gettext_lazy("Acceptance queue"), operator_queue, "accept", {}),
    "cases:filing": (
        ("shift_leader",),
        gettext_lazy("Filing and closing"),
        _filing_queue,
        "file",
        {"file": [State.ACCEPTED], "close": [State.CHECK_PASSED, State.SELF_HANDLED]},
    ),
    "cases:dispatch": (("dispatcher",), gettext_lazy("Dispatching"), dispatcher_queue, "dispatch", {}),
    "cases:department": (
        ("department_handler",),
        gettext_lazy("Department inbox"),
        department_inbox,
        None,
        {"handle": [State.DISPATCHED], "hung_up": [State.HUNG_UP]},
    ),
}
FILTER_KEYS = ("step", "district_id", "q", "overdue")


def require_role(user, *roles):
    if not (sees_everything(user) or has_role(user, *roles)):
        raise DjangoPermissionDenied


def filtered(name, user, params, now):
    """The queue `name` for `user`, narrowed by the page's filters (unknown values are ignored)."""
    _roles, _title, queue, _batch, steps = QUEUES[name]
    qs = queue(user)
    step = params.get("step")
    if step in steps:
        qs = qs.filter(state__in=steps[step])
    district = params.get("district_id") or ""
    if district.isdigit():
        qs = qs.filter(district_id=int(district))
    text = (params.get("q") or "").strip()
    if text:
        from django.db.models import Q

        qs = qs.filter(Q(number__icontains=text) | Q(address__icontains=text) | Q(description__icontains=text))
    if params.get("overdue") == "1":
        qs = qs.filter(deadline__lt=now)
    return qs


def queue_query(params) -> str:
    return urlencode([(k, params[k]) for k in FILTER_KEYS if params.get(k)])


def queue_page(request, name, template="cases/queue.html", **extra):
    roles, title, _queue, batch, steps = QUEUES[name]
    require_role(request.user, *roles)
    now = timezone.now()
    qs = filtered(name, request.user, request.GET, now)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = queue_query(request.GET)
    here = reverse(name) + (f"?{query}" if query else "")
    newest = list(qs.order_by("-reported_at", "-pk")[:3]) if page.paginator.count > 10 else []
    context = {
        "title": title,
        "page": page,
        "now": now,
        "query": query,
        "queue_url": here,
        "queue_name": name,
        "f": request.GET,
        "steps": steps,
        "districts": Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"),
        "batch": batch,
        "batch_label": workflow.ACTION_LABELS.get(batch, ""),
        "newest": newest,
        "keep": [(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k)],
        **extra,
    }
    return render(request, template, context)


def queue_of(url: str, host: str):
    """(url name, query dict) of a queue address given back by a page, or None for anything else."""
    if not url or not url_has_allowed_host_and_scheme(url, {host}):
        return None
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    if name not in QUEUES:
        return None
    from django.http import QueryDict

    return name, QueryDict(parts.query)


def next_case_url(user, queue_url: str, host: str, current_pk: int, now=None) -> str | None:
    """The case after `current_pk` in the queue (wrapping to the first), as a case-page address that keeps the
    queue; None when the queue holds nothing else."""
    found = queue_of(queue_url, host)
    if not found:
        return None
    name, params = found
    try:
        require_role(user, *QUEUES[name][0])
    except DjangoPermissionDenied:
        return None
    pks = list(filtered(name, user, params, now or timezone.now()).values_list("pk", flat=True)[:500])
    others = [pk for pk in pks if pk != current_pk]
    if not others:
        return None
    after = pks[pks.index(current_pk) + 1 :] if current_pk in pks else []
    target = (after or others)[0]
    return reverse("cases:detail", args=[target]) + "?" + urlencode({"queue": queue_url})


@login_required
def operator_page(request):
    return queue_page(request, "cases:operator", show_duplicates=True)


@login_required
def filing_page(request):
    return queue_page(request, "cases:filing")


@login_required
def department_page(request):
    return queue_page(request, "cases:department")


def _batch_params(action, case, post):
    params = {"reason": (post.get("reason") or "").strip() or None}
    if action == "dispatch":
        chosen = post.get("department_id") or ""
        if chosen.isdigit():
            params["department_id"] = int(chosen)
        else:
            suggestion = suggest_department(matter=case.matter, unit_grid=case.unit_grid, component=case.component)
            if suggestion is None:
                raise DomainError(_("No department is suggested for this case; choose one."), field="department_id")
            params["department_id"] = suggestion.pk
    return params


@login_required
def queue_batch(request, action):
    """Batch accept / file / dispatch: one reason for all; each case its own transaction and history row."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    name = next((n for n, q in QUEUES.items() if q[3] == action), None)
    if name is None:
        raise Http404
    require_role(request.user, *QUEUES[name][0])
    back = reverse(name)
    query = queue_query(request.POST)
    if query:
        back += f"?{query}"
    ids = [int(v) for v in request.POST.getlist("case_ids") if v.isdigit()][:BATCH_MAX]
    if not ids:
        messages.error(request, _("Tick at least one case."))
        return redirect(back)
    done, refused = [], []
    for pk in ids:
        try:
            case = case_for(request.user, pk)
        except Http404:
            refused.append((str(pk), _("not found in your scope")))
            continue
        try:
            case_act(actor=request.user, case=case, action=action, **_batch_params(action, case, request.POST))
        except DomainError as exc:
            refused.append((case.number, exc.message))
        else:
            done.append(case.number)
    label = workflow.ACTION_LABELS[action]
    if done:
        messages.success(request, _("%(action)s done for %(n)d: %(numbers)s")
                         % {"action": label, "n": len(done), "numbers": "、".join(done)})  # fmt: skip
    for number, why in refused:
        messages.error(request, _("%(number)s refused: %(why)s") % {"number": number, "why": why})
    return redirect(back)


def dispatch_departments():
    """Active departments grouped by kind, then by district, for the dispatch choice (<optgroup> per kind)."""
    groups: dict[str, list] = {}
    for d in Department.objects.filter(is_active=True).select_related("region").order_by("kind", "region__code", "name"):
        groups.setdefault(d.get_kind_display(), []).append(d)
    return list(groups.items())
