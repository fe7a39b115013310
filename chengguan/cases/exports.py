"""Excel export of a case list (what offices open and print), through the platform's one export layer.

Rows are read as plain values (no model instances) in chunks; each chunk's step times come from one query
on the case events. Columns: the case, its place and text, the step times 受理/立案/派遣/处置/核查/结案,
the current step's deadline and time limit, whether it ran over a limit and by how many (natural) hours.

Personal data (PIPL): the reporter's name and phone are masked for everyone, whatever their role; a file leaves
the system and its readers are not logged, so the full values are only ever shown through a logged reveal."""

from datetime import UTC

from django.core.exceptions import EmptyResultSet
from django.db import connection
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


def _aware(value):
    """A raw cursor gives SQLite's datetimes naive (they are stored in UTC) and PostgreSQL's aware."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _raw(qs, chunk=CHUNK):
    """Rows of a `values_list` queryset straight from the cursor: no per-value converters (the export's cost)."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a scope that sees nothing (qs.none()): no query to run
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _step_facts(ids: list[int]) -> dict:
    """{case id: ([accepted, first dispatched, last replied, last checked], hours late on ended steps)}."""
    facts = {pk: [[None, None, None, None], 0.0] for pk in ids}
    events = (
        CaseEvent.objects.filter(case_id__in=ids)
        .filter(Q(action__in=list(STEP_ACTIONS)) | Q(on_time=False))
        .values_list("case_id", "action", "to_state", "at", "on_time", "ended_step_deadline")
        .order_by("at", "pk")
    )
    for case_id, action, to_state, at, on_time, ended_deadline in _raw(events):
        times, _late = fact = facts[case_id]
        slot = STEP_ACTIONS.get(action)
        if slot is not None and not (action == "dispatch" and to_state != workflow.State.DISPATCHED):
            if slot in (0, 1):
                times[slot] = times[slot] or at  # the first acceptance / dispatch to a department
            else:
                times[slot] = at  # the last reply / check
        if on_time in (False, 0) and ended_deadline is not None and _aware(at) > _aware(ended_deadline):
            fact[1] += (_aware(at) - _aware(ended_deadline)).total_seconds() / 3600
    return facts


def _row(v, times, late_hours: float, now, labels) -> list:
    (_pk, number, source, matter_code, matter_name, severity, state, district, street, community, address,
     description, department, reported_at, filed_at, closed_at, deadline, limit_amount, limit_unit, is_open,
     reporter_name, reporter_phone) = v  # fmt: skip
    deadline = _aware(deadline)
    open_late = is_open and deadline is not None and deadline < now
    hours = late_hours + ((now - deadline).total_seconds() / 3600 if open_late else 0.0)
    limit = ""
    if limit_amount is not None:
        limit = f"{limit_amount:g} {labels['units'].get(limit_unit, limit_unit)}"
    return [
        number, labels["sources"].get(source, source), f"{matter_code} {matter_name}",
        labels["severities"].get(severity, severity), labels["states"].get(state, state), district, street,
        community, address, description, department or "", reported_at, times[0], filed_at, times[1], times[2],
        times[3], closed_at, deadline if is_open else None, limit, hours > 0,
        round(hours, 1) if hours > 0 else None, mask_name(reporter_name), mask_phone(reporter_phone),
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
    chunk: list[tuple] = []

    def flush():
        facts = _step_facts([v[0] for v in chunk])
        for v in chunk:
            times, late = facts[v[0]]
            sheet.append(_row(v, times, late, now, labels))
        chunk.clear()

    for v in _raw(qs.values_list(*FIELDS)[:MAX_ROWS]):
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
