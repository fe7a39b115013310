"""The intake answer's duplicate search with its statement compiled once per process and reader's scope.

Every report answers with the open cases of the same matter nearby (`selectors.duplicate_candidates`). Building
that query through the ORM — the reader's scope filter with its joins, five range filters, two exclusions — cost
a fifth of a report's CPU, on every report, for a statement that differs from the last one only in its values.
Here it is compiled by the ORM once per scope (`selectors.scope_key`: the reader's region and department paths;
the same key gives the same filter) and narrow field list, and then run with the new values: the scope's own
parameters as compiled, then the search box's, adapted as the ORM adapts them. The rows become deferred `Case`
instances exactly as the ORM's iterable builds them (`from_db`, the compiler's converters).

The first compilation checks that the parameters it would pass are those the ORM compiled; if they are not (a
Django whose SQL for these lookups differs), the search goes through the ORM every time, as before."""

from django.db import connections

from .models import Case
from .selectors import duplicate_query, scope_key, visible_cases

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


def compiled_candidates(case, user, box, only: tuple[str, ...], using: str = "default") -> list[Case]:
    """The candidate rows (before the distance check) of `selectors.duplicate_query` for this reader."""
    connection = connections[using]
    key = (scope_key(user), only, using, connection.vendor)
    entry = _compiled.get(key)
    if entry is None:
        if len(_compiled) >= MAX_ENTRIES:
            _compiled.clear()
        entry = _compiled[key] = _compile(case, user, box, only, using)
    if entry is ORM:
        return list(duplicate_query(visible_cases(user), case, box, only))
    sql, scope_params, names, converters = entry
    with connection.cursor() as cursor:
        cursor.execute(sql, scope_params + _search_params(case, box, connection))
        rows = cursor.fetchall()
    if converters:  # as the compiler applies them (SQLite's times, for one)
        rows = [list(row) for row in rows]
        for row in rows:
            for pos, (functions, expression) in converters:
                for convert in functions:
                    row[pos] = convert(row[pos], expression, connection)
    return [Case.from_db(using, names, row) for row in rows]
