"""The intake answer's duplicate search with its statement compiled once per process and reader's scope.

Every report answers with the open cases of the same matter nearby (`duplicate_candidates`, below; the desk and
the report page show them too). Building
that query through the ORM — the reader's scope filter with its joins, five range filters, two exclusions — cost
a fifth of a report's CPU, on every report, for a statement that differs from the last one only in its values.
Here it is compiled by the ORM once per scope (`selectors.scope_key`: the reader's region and department paths;
the same key gives the same filter) and narrow field list, and then run with the new values: the scope's own
parameters as compiled, then the search box's, adapted as the ORM adapts them. The rows become deferred `Case`
instances exactly as the ORM's iterable builds them (`from_db`, the compiler's converters).

The first compilation checks that the parameters it would pass are those the ORM compiled; if they are not (a
Django whose SQL for these lookups differs), the search goes through the ORM every time, as before."""

import math
from datetime import timedelta

from django.db import connections
from django.db.models import QuerySet

from chengguan.core.memo import own_copy

from . import conf
from .models import Case
from .selectors import distance_m, scope_key, visible_cases

MAX_ENTRIES = 512  # distinct scopes × field lists; a city has a few hundred
ORM = object()  # an entry saying: this shape is not reproduced here, use the ORM
_compiled: dict = {}


def _search_params(case, box, connection) -> list:
    """The search box's parameters in the order the ORM places them (the filter's keywords sorted by name:
    `is_open` needs none, then lat, lng, matter, report time; then the two exclusions)."""
    dlat, dlng, window, _meters = box
    at = Case._meta.get_field("reported_at")

    def when(value):
        return at.get_db_prep_value(value, connection, prepared=False)

    lat, lng = float(case.lat), float(case.lng)
    return [
        lat - dlat, lat + dlat, lng - dlng, lng + dlng, case.matter_id,
        when(case.reported_at - window), when(case.reported_at + window), case.pk, case.pk,
    ]  # fmt: skip


def _compile(case, user, box, only, using):
    connection = connections[using]
    scope = visible_cases(user)
    query = duplicate_query(scope, case, box, only).query
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    scope_params = list(scope.query.get_compiler(using=using).as_sql()[1])
    if list(params) != scope_params + _search_params(case, box, connection):
        return ORM
    selected = [s[0] for s in compiler.select[: compiler.col_count]]
    names = [col.target.attname for col in selected]
    return sql, scope_params, names, list(compiler.get_converters(selected).items())


def _entry(case, user, box, only, using):
    connection = connections[using]
    key = (scope_key(user), only, using, connection.vendor)
    entry = _compiled.get(key)
    if entry is None:
        if len(_compiled) >= MAX_ENTRIES:
            _compiled.clear()
        entry = _compiled[key] = _compile(case, user, box, only, using)
    return entry


def _cases(entry, rows, connection) -> list[Case]:
    _sql, _scope_params, names, converters = entry
    if converters:  # as the compiler applies them (SQLite's times, for one)
        rows = [list(row) for row in rows]
        for row in rows:
            for pos, (functions, expression) in converters:
                for convert in functions:
                    row[pos] = convert(row[pos], expression, connection)
    return [Case.from_db(connection.alias, names, row) for row in rows]


def compiled_candidates(case, user, box, only: tuple[str, ...], using: str = "default") -> list[Case]:
    """The candidate rows (before the distance check) of `duplicate_query` for this reader."""
    connection = connections[using]
    entry = _entry(case, user, box, only, using)
    if entry is ORM:
        return list(duplicate_query(visible_cases(user), case, box, only))
    sql, scope_params, _names, _converters = entry
    with connection.cursor() as cursor:
        cursor.execute(sql, scope_params + _search_params(case, box, connection))
        rows = cursor.fetchall()
    return _cases(entry, rows, connection)


class Found:
    """A found case's selected fields as attributes, and its key as `pk` (`search_ahead`)."""

    def __init__(self, names, row):
        self.__dict__.update(zip(names, row, strict=True))
        self.pk = self.id


def search_ahead(case, user, only: tuple[str, ...]):
    """The intake answer's search for a case about to be written (its point, matter and report time set, no key
    yet), as `(sql, params, finish)` for the caller to run with its own statements (`core.pipeline`):
    `finish(rows)` gives what `duplicate_candidates(case, user=user, only=only)` gives once the case is written,
    each found case as a plain row (`Found`: its key as `pk`, the selected fields as attributes) rather than a
    model instance: an answer reads a handful of fields, and a deferred `Case` costs its ~50-field constructor.
    None when the search cannot be run this way (no signed-in reader, or a shape the ORM must build)."""
    if user is None or not user.is_authenticated:
        return None
    box = duplicate_box(case)
    connection = connections["default"]
    probe = own_copy(case)
    probe.pk = 0  # the case is not written yet: no key to leave out (0 is no case's), the statement's shape kept
    entry = _entry(probe, user, box, only, "default")
    if entry is ORM:
        return None
    sql, scope_params, names, converters = entry
    params = scope_params + _search_params(probe, box, connection)

    def finish(rows):
        found = _cases(entry, rows, connection) if converters else [Found(names, row) for row in rows]
        return _nearest(case, found, box[3], 10)

    return sql, params, finish


def duplicate_box(case: Case) -> tuple[float, float, timedelta, float]:
    """(degrees of latitude, degrees of longitude, time window, metres) around a case for its duplicate search."""
    meters, hours = conf.duplicate_meters(), conf.duplicate_hours()
    dlat = meters / 111_320.0
    dlng = meters / (111_320.0 * max(math.cos(math.radians(case.lat)), 0.01))
    return dlat, dlng, timedelta(hours=hours), meters


def duplicate_query(qs: QuerySet, case: Case, box, only: tuple[str, ...] | None) -> QuerySet:
    dlat, dlng, window, _meters = box
    rows = (
        qs.filter(
            matter_id=case.matter_id,
            is_open=True,
            lat__range=(case.lat - dlat, case.lat + dlat),
            lng__range=(case.lng - dlng, case.lng + dlng),
            reported_at__range=(case.reported_at - window, case.reported_at + window),
        )
        .exclude(pk=case.pk)
        .exclude(merged_into=case)
        .order_by()  # sorted here by distance
    )
    if only is not None:
        return rows.only("lng", "lat", "reported_at", *only)
    return rows.select_related("matter")


def duplicate_candidates(
    case: Case, *, user=None, limit: int = 10, only: tuple[str, ...] | None = None
) -> list[tuple[Case, float]]:
    """Open cases of the same matter within `CASES_DUPLICATE_METERS` reported within `CASES_DUPLICATE_HOURS`
    of this one, nearest first, with their distance in metres. Merged/closed cases never count. `only` names
    the fields the caller reads (the intake's answer: a narrow SELECT without the matter's join, its statement
    compiled once per process and reader's scope: `duplicates.py`)."""
    box = duplicate_box(case)
    if only is not None and user is not None and user.is_authenticated:
        rows = compiled_candidates(case, user, box, only)
    else:
        qs = visible_cases(user) if user is not None else Case.objects.all()
        rows = duplicate_query(qs, case, box, only)
    return _nearest(case, rows, box[3], limit)


def _nearest(case, rows, meters, limit) -> list[tuple[Case, float]]:
    found = [(c, distance_m(case.lng, case.lat, c.lng, c.lat)) for c in rows]
    found = [(c, d) for c, d in found if d <= meters]
    found.sort(key=lambda x: (x[1], x[0].reported_at, -x[0].pk))  # ties as the model ordering broke them
    return found[:limit]
