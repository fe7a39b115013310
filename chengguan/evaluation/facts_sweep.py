"""The facts of a sweeper batch, set-wise (receiver of `sweep_events_written`, inside the batch's transaction).

The sweeper's two actions change no state and end no step, so `Replayer.feed` does only this for each case: the
current step (the case's last step row, if not ended) gets `urge_count + 1` (urge) or `supervised = 1`
(supervise), and `_advance_fact` adds the same to the case's fact row (`urge_count + 1` / `supervised = 1`); the
fault and assignment marks read neither column. So a batch is two UPDATEs whatever its size
(`sweep_facts_advance`), where `facts_apply` replayed each case's step rows in Python. A case without a fact row
is rebuilt from its events as on the per-event path; any other action goes through `facts_apply`.
`tests/test_facts_sweep.py` compares both paths row by row.
"""

from django.db.models import Exists, F, OuterRef

from chengguan.cases.services.sweeper_sql import ids_in

from .facts import _refresh_in_transaction, facts_apply
from .models import CaseFact, StepFact

SET_WISE = {
    "urge": {"urge_count": F("urge_count") + 1},
    "supervise": {"supervised": 1},
}


def sweep_facts_advance(action: str, case_ids: list[int]) -> list[int]:
    """THE fact writer of the sweeper: advance the fact and current step rows of `case_ids` by one `action`
    ("urge" or "supervise") in two UPDATEs. Returns the cases that have no fact row (to rebuild)."""
    changes = SET_WISE[action]
    updated = CaseFact.objects.filter(case_id__in=ids_in(case_ids)).update(**changes)
    later = StepFact.objects.filter(case_id=OuterRef("case_id"), seq__gt=OuterRef("seq"))
    StepFact.objects.filter(case_id__in=ids_in(case_ids), ended=0).exclude(Exists(later)).update(**changes)
    if updated == len(case_ids):
        return []
    known = set(CaseFact.objects.filter(case_id__in=ids_in(case_ids)).values_list("case_id", flat=True))
    return sorted(set(case_ids) - known)


def on_sweep_events_written(sender, action, case_ids, events, **kwargs) -> None:
    """Receiver of `sweep_events_written`: an error here rolls the batch back (the facts never drift)."""
    if action not in SET_WISE:
        facts_apply(list(events.select_related("case").order_by("at", "pk")))
        return
    missing = sweep_facts_advance(action, list(case_ids))
    if missing:
        _refresh_in_transaction(missing)
