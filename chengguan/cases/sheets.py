"""The case's printable forms — 案卷单 (case sheet), 派遣单 (dispatch sheet), 延期/挂账审批表 (extension or
hang-up approval form) — and what each needs before the act that produces it.

`NEEDS[action]` names the fields the act's form prints that must be there when the act happens: the engine
checks them after the act's own changes and before anything is saved (`check`), so a refused act leaves nothing
written; the API answers 422 naming the field, the page shows the Chinese message. The sheets are `Sheet`s of
`chengguan.core.office.sheets`: a print-styled page and a PDF from the same rows.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.core.errors import ValidationError
from chengguan.core.office.sheets import Sheet
from chengguan.core.privacy import masked_reporter
from chengguan.org.models import Region

from .models import CaseRequest


def _text(name):
    return lambda case: bool(str(getattr(case, name) or "").strip())


def _department(case):
    return case.current_department_id is not None or case.state == "district_dispatched"


CASE_SHEET, DISPATCH_SHEET, REQUEST_SHEET = (gettext_lazy("case sheet"), gettext_lazy("dispatch sheet"),
                                             gettext_lazy("extension / hang-up approval form"))  # fmt: skip
DESCRIPTION = ("description", gettext_lazy("problem description"), _text("description"))
MATTER = ("matter_code", gettext_lazy("problem category"), lambda case: case.matter_id is not None)
NEEDS = {
    "file": (CASE_SHEET, (DESCRIPTION, MATTER)),
    "dispatch": (DISPATCH_SHEET, (DESCRIPTION, MATTER,
                                  ("department_id", gettext_lazy("disposal department"), _department),
                                  ("deadline", gettext_lazy("time limit"),
                                   lambda case: case.deadline is not None or case.state == "district_dispatched"))),
    "request_extension": (REQUEST_SHEET, (DESCRIPTION,
                                          ("department_id", gettext_lazy("disposal department"), _department))),
    "request_hang_up": (REQUEST_SHEET, (DESCRIPTION,
                                        ("department_id", gettext_lazy("disposal department"), _department))),
}  # fmt: skip


def missing(action: str, case) -> list[tuple[str, str]]:
    if action not in NEEDS:
        return []
    return [(name, str(label)) for name, label, test in NEEDS[action][1] if not test(case)]


def check(action: str, case) -> None:
    """Refuse `action` while a field its form prints is missing (called by the engine before saving)."""
    gaps = missing(action, case)
    if gaps:
        name, label = gaps[0]
        raise ValidationError(
            _("Fill in “%(field)s” first: the %(document)s prints it.")
            % {"field": label, "document": NEEDS[action][0]},
            field=name,
            code="document_field_missing",
        )


def _body() -> str:
    city = Region.objects.filter(level="city").order_by("code").first()
    return _("%(city)s urban management supervision and command centre") % {"city": city.name if city else ""}


def _dt(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _place(case) -> list:
    where = " · ".join(r.name for r in (case.district, case.street, case.community) if r is not None)
    return [
        (_("Address"), case.address or _("(no address: see the coordinates)")),
        (_("Area"), f"{where} · {_('unit grid')} {case.unit_grid.code}"),
        (_("Coordinates (GCJ-02)"), f"{case.lng:.6f}, {case.lat:.6f}"),
    ]


def _first(case, action):
    return case.events.filter(action=action).order_by("at", "pk").first()


def _limit(amount, unit) -> str:
    from .actionforms import UNIT_LABELS

    return f"{amount:g} {UNIT_LABELS.get(unit, unit)}" if amount else ""


def case_sheet(case) -> Sheet:
    """案卷单: the case as filed, its steps and where it stands."""
    reporter = masked_reporter(case)
    accepted, filed, closed = _first(case, "accept"), _first(case, "file"), _first(case, "close")
    rows = [
        (_("Case number"), case.number),
        (_("Source"), case.get_source_display()),
        (_("Reported at"), _dt(case.reported_at)),
        (_("Reporter"), f"{reporter['name']} {reporter['phone']}".strip()),
        (_("Problem category"), f"{case.matter.code} {case.matter.major_name} · {case.matter.name}"),
        (_("Problem description"), case.description),
        *_place(case),
        (_("Severity"), case.get_severity_display()
         + (f"（{case.filing_condition.text}）" if case.filing_condition_id else "")),
        (_("Accepted"), f"{_dt(accepted.at)} {accepted.actor_name}" if accepted else ""),
        (_("Filed"), f"{_dt(filed.at)} {filed.actor_name}" if filed else _dt(case.filed_at)),
        (_("Current state"), case.state_label),
        (_("Current department"), case.current_department.name if case.current_department_id else ""),
        (_("Step deadline"), _dt(case.deadline) if case.is_open else ""),
        (_("Closed"), f"{_dt(closed.at)} {closed.actor_name}" if closed else ""),
    ]
    return Sheet(title=_("Urban management case sheet"), body=_body(), number=_("No. %(n)s") % {"n": case.number},
                 rows=rows, filename=f"case-sheet-{case.number}",
                 signatures=[_("Accepted by: ________   Filed by: ________   Date: ____________")])  # fmt: skip


def dispatch_sheet(case) -> Sheet:
    """派遣单: the last dispatch to a department, with its time limit and deadline."""
    event = case.events.filter(action="dispatch").select_related("department").order_by("-at", "-pk").first()
    if event is None:
        raise ValidationError(_("The case has not been dispatched yet."), field="action")
    rows = [
        (_("Case number"), case.number),
        (_("Problem category"), f"{case.matter.code} {case.matter.major_name} · {case.matter.name}"),
        (_("Problem description"), case.description),
        *_place(case),
        (_("Severity"), case.get_severity_display()),
        (_("Dispatched at"), _dt(event.at)),
        (_("Dispatched by"), event.actor_name),
        (_("Disposal department"), event.department.name if event.department_id else ""),
        (_("Time limit"), _limit(event.limit_amount, event.limit_unit)),
        (_("Due by"), _dt(event.deadline)),
        (_("Dispatch note"), event.reason),
    ]
    return Sheet(title=_("Urban management dispatch sheet"), body=_body(),
                 number=_("No. %(n)s") % {"n": case.number}, rows=rows, filename=f"dispatch-sheet-{case.number}",
                 signatures=[_("Received by (department): ________   Received at: ____________"),
                             _("Result of the disposal: ______________________________")])  # fmt: skip


def request_sheet(case, request: CaseRequest | None = None) -> Sheet:
    """延期/挂账审批表: a department's request for more time or to hang the case up, and the decision."""
    request = request or case.requests.select_related("department", "requested_by", "decided_by").order_by(
        "-requested_at", "-pk").first()
    if request is None:
        raise ValidationError(_("The case has no extension or hang-up request."), field="request")
    extension = request.kind == CaseRequest.Kind.EXTENSION
    rows = [
        (_("Case number"), case.number),
        (_("Problem category"), f"{case.matter.code} {case.matter.major_name} · {case.matter.name}"),
        (_("Problem description"), case.description),
        *_place(case)[:1],
        (_("Request"), request.get_kind_display()),
        (_("Disposal department"), request.department.name),
        (_("Requested at"), _dt(request.requested_at)),
        (_("Requested by"), str(request.requested_by or "")),
        *([(_("Extra time asked"), _limit(request.amount, request.unit))] if extension else []),
        (_("Reason"), request.reason),
        (_("Decision"), request.get_status_display()),
        (_("Decided by"), f"{request.decided_by or ''} {_dt(request.decided_at)}".strip()),
        (_("Opinion"), request.decision_reason),
    ]
    title = _("Extension approval form") if extension else _("Hang-up approval form")
    return Sheet(title=title, body=_body(), number=_("No. %(n)s") % {"n": case.number}, rows=rows,
                 filename=f"{request.kind}-form-{case.number}",
                 signatures=[_("Head of the department: ________   Command centre: ________   Date: ____________")])
