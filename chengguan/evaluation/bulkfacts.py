"""The facts of a chunk of imported cases, derived from the rows the bulk import has in memory.

The bulk import (`chengguan.cases.bulk`) sends `cases_imported` inside each chunk's transaction with
`histories=[(case, events)]`: the saved case rows in memory and their history rows as dicts of `CaseEvent` field
names, in the order they were inserted (so in primary-key order). This receiver derives the facts with the same
`derive` as every other path (`facts.py`: one step machine, the same fault and assignment marks) from those rows
instead of reading the events back, and writes them without a model instance per row (`COPY` on PostgreSQL, one
prepared INSERT elsewhere). `cases/tests/test_bulk.py` compares every fact field with the live services' on both
engines. A sender without `histories` (the replaying import, the demo loader) gets the rebuild from the database.
"""

from operator import itemgetter

from chengguan.core.bulkrows import insert_rows

from .facts import _case_dict, derive, facts_refresh_cases, log
from .models import CaseFact, StepFact

_at = itemgetter("at")


def _columns(model):
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key or f.attname != "id"]


def facts_from_histories(histories) -> None:
    """Write the facts of new cases (no fact rows yet: the chunk created them) from their in-memory history."""
    case_columns, step_columns = _columns(CaseFact), _columns(StepFact)
    step_defaults = {f.attname: f.get_default() for f in StepFact._meta.concrete_fields}
    facts, steps = [], []
    for case, events in histories:
        if not events:
            continue
        fact, rows = derive(_case_dict(case), sorted(events, key=_at))  # sorted() is stable: (at, pk)
        facts.append([fact[c] for c in case_columns])
        for row in rows:
            steps.append([row[c] if c in row else step_defaults[c] for c in step_columns])
    insert_rows(CaseFact, case_columns, facts)
    insert_rows(StepFact, step_columns, steps)


def on_cases_imported(sender, case_ids, histories=None, **kwargs) -> None:
    """Receiver of `cases_imported`: the facts of replayed cases, once per case (they send no event signals)."""
    if histories is not None:  # inside the chunk's transaction: a failure rolls the chunk back (no drift)
        facts_from_histories(histories)
        return
    try:
        facts_refresh_cases(case_ids)
    except Exception:  # noqa: BLE001
        log.exception("evaluation facts of %d imported cases could not be built", len(case_ids))
