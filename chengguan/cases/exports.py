"""Excel export of a case list (what offices open and print), through the platform's one export layer.

Rows are read as plain values (no model instances) in chunks; each chunk's step times come from one query
on the case events. Columns: the case, its place and text, the step times 受理/立案/派遣/处置/核查/结案,
the current step's deadline and time limit, whether it ran over a limit and by how many (natural) hours.

Personal data (PIPL): the reporter's name and phone are masked for everyone, whatever their role; a file leaves
the system and its readers are not logged, so the full values are only ever shown through a logged reveal."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import UNIT_LABELS, Severity
from chengguan.core.office.xlsx import Book, Col
from chengguan.core.privacy import mask_name, mask_phone

from . import workflow
from .models import CaseEvent, Source

MAX_ROWS = 1_000_000
CHUNK = 2000
FIELDS = (
    "pk", "number", "source", "matter__code", "matter__name", "severity", "state", "district__name",
    "street__name", "community__name", "address", "description", "current_department__name", "reported_at",
    "filed_at", "closed_at", "deadline", "limit_amount", "limit_unit", "is_open", "reporter_name",
    "reporter_phone",
)  # fmt: skip
STEP_ACTIONS = {"accept": 0, "dispatch": 1, "reply": 2, "check_pass": 3}


def columns() -> list[Col]:
    return [
        Col(_("case number")), Col(_("source")), Col(_("matter")), Col(_("severity")), Col(_("state")),
        Col(_("district")), Col(_("street")), Col(_("community")), Col(_("address")),
        Col(_("description"), width=50), Col(_("department")), Col(_("reported at"), "datetime"),
        Col(_("accepted at"), "datetime"), Col(_("filed at"), "datetime"), Col(_("dispatched at"), "datetime"),
        Col(_("handled at"), "datetime"), Col(_("checked at"), "datetime"), Col(_("closed at"), "datetime"),
        Col(_("step deadline"), "datetime"), Col(_("time limit")), Col(_("overdue"), "bool"),
        Col(_("hours overdue"), "hours"), Col(_("reporter name")), Col(_("reporter phone")),
    ]  # fmt: skip


def _step_facts(ids: list[int], now) -> dict:
    """{case id: ([accepted, first dispatched, last replied, last checked], hours late on ended steps)}."""
    facts = {pk: [[None, None, None, None], 0.0] for pk in ids}
    events = (
        CaseEvent.objects.filter(case_id__in=ids)
        .filter(Q(action__in=list(STEP_ACTIONS)) | Q(on_time=False))
        .values_list("case_id", "action", "to_state", "at", "on_time", "ended_step_deadline")
        .order_by("at", "pk")
    )
    for case_id, action, to_state, at, on_time, ended_deadline in events:
        times, _late = fact = facts[case_id]
        slot = STEP_ACTIONS.get(action)
        if slot is not None and not (action == "dispatch" and to_state != workflow.State.DISPATCHED):
            if slot in (0, 1):
                times[slot] = times[slot] or at  # the first acceptance / dispatch to a department
            else:
                times[slot] = at  # the last reply / check
        if on_time is False and ended_deadline is not None and at > ended_deadline:
            fact[1] += (at - ended_deadline).total_seconds() / 3600
    return facts


def _row(v: dict, times, late_hours: float, now, labels) -> list:
    open_late = v["is_open"] and v["deadline"] is not None and v["deadline"] < now
    hours = late_hours + ((now - v["deadline"]).total_seconds() / 3600 if open_late else 0.0)
    limit = ""
    if v["limit_amount"] is not None:
        limit = f"{v['limit_amount']:g} {labels['units'].get(v['limit_unit'], v['limit_unit'])}"
    return [
        v["number"], labels["sources"].get(v["source"], v["source"]), f"{v['matter__code']} {v['matter__name']}",
        labels["severities"].get(v["severity"], v["severity"]), labels["states"].get(v["state"], v["state"]),
        v["district__name"], v["street__name"], v["community__name"], v["address"], v["description"],
        v["current_department__name"] or "", v["reported_at"], times[0], v["filed_at"], times[1], times[2],
        times[3], v["closed_at"], v["deadline"] if v["is_open"] else None, limit, hours > 0,
        round(hours, 1) if hours > 0 else None, mask_name(v["reporter_name"]), mask_phone(v["reporter_phone"]),
    ]  # fmt: skip


def _labels() -> dict:
    return {
        "sources": {k: str(v) for k, v in Source.choices},
        "severities": {k: str(v) for k, v in Severity.choices},
        "states": {k: str(v) for k, v in workflow.STATE_LABELS.items()},
        "units": {k: str(v) for k, v in UNIT_LABELS.items()},
    }


def write_cases(sheet, qs, *, now) -> int:
    labels, n = _labels(), 0
    chunk: list[dict] = []

    def flush():
        facts = _step_facts([v["pk"] for v in chunk], now)
        for v in chunk:
            times, late = facts[v["pk"]]
            sheet.append(_row(v, times, late, now, labels))
        chunk.clear()

    for v in qs.values(*FIELDS)[:MAX_ROWS].iterator(chunk_size=CHUNK):
        chunk.append(v)
        n += 1
        if len(chunk) == CHUNK:
            flush()
    if chunk:
        flush()
    return n


def cases_workbook(qs, *, user, now, filters=(), file=None) -> Book:
    book = Book(user=user, now=now, file=file)
    sheet = book.sheet(name=_("Case list"), title=_("Case list"), columns=columns(), filters=filters)
    write_cases(sheet, qs, now=now)
    return book


def cases_xlsx_response(qs, *, user, filters=()):
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return cases_workbook(qs, user=user, now=now, filters=filters).response(f"{_('cases')}-{stamp}")
