"""`core.rowinsert.insert` stores the same row as `save(force_insert=True)`: the live write path's case, event and
fact rows, written both ways from identical instances, compared column by column as the database holds them."""

import copy
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from chengguan.core import pipeline, rowinsert, rowqueue
from chengguan.evaluation.models import CaseFact, StepFact

from ..models import Case, CaseEvent
from .conftest import report


def _raw(model, pk) -> dict:
    """The row as stored (no ORM conversion on the way back), without its primary key."""
    table, pk_column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" WHERE "{pk_column}" = %s', [pk])
        names = [c[0] for c in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    row.pop(pk_column)
    return row


def rows_both_ways(instance, **differ):
    """Two fresh copies of `instance`: one saved by the ORM, one by `rowinsert.insert` (`differ`: per copy, values
    that must differ, e.g. a unique number); returns their raw rows."""
    rows = []
    for way, values in (("orm", differ.get("orm", {})), ("fast", differ.get("fast", {}))):
        new = copy.copy(instance)
        new.__dict__ = copy.deepcopy({k: v for k, v in instance.__dict__.items() if k != "_state"})
        new._state = type(instance._state)()
        for name, value in values.items():
            setattr(new, name, value)
        if not values.get(instance._meta.pk.attname):
            setattr(new, instance._meta.pk.attname, None)
        if way == "orm":
            new.save(force_insert=True)
        else:
            rowinsert.insert(new)
        assert new.pk is not None and not new._state.adding and new._state.db == "default"
        rows.append(_raw(type(instance), new.pk))
    return rows


def test_a_case_and_its_event_are_stored_as_save_stores_them(city, grids, garbage, frozen):
    case = report(city, garbage)
    stored = Case.objects.get(pk=case.pk)
    stored.description = gettext_lazy("a lazy text")  # not a plain str: adapted by the ORM's own function
    stored.urge_count = "3"  # text for an integer column, as the ORM converts it
    stored.verified = 1  # an integer for a boolean
    orm, fast = rows_both_ways(stored, orm={"number": "X-1"}, fast={"number": "X-2"})
    assert orm.pop("number") == "X-1" and fast.pop("number") == "X-2"
    assert orm == fast
    assert fast["description"] == "a lazy text" and fast["urge_count"] == 3
    assert fast["deadline"] is not None and fast["reported_at"] is not None

    event = CaseEvent.objects.filter(case=case).get()
    event.payload = {"source": "supervisor", "nested": [1, "二"], "reported_at": event.at.isoformat()}
    event.ended_step_deadline = event.at + timedelta(hours=2)
    orm, fast = rows_both_ways(event)
    assert orm == fast


def test_fact_rows_with_their_own_and_generated_keys_are_stored_as_save_stores_them(
    city, grids, garbage, frozen
):
    first, second = report(city, garbage), report(city, garbage, description="另一处")
    fact = CaseFact.objects.get(case=first)
    CaseFact.objects.filter(case__in=(first, second)).delete()
    orm_copy = copy.copy(fact)
    orm_copy._state = type(fact._state)()
    orm_copy.save(force_insert=True)  # the case's own key: no RETURNING, the key given
    orm_row = _raw(CaseFact, first.pk)
    fast_copy = copy.copy(fact)
    fast_copy._state = type(fact._state)()
    fast_copy.case_id = second.pk
    rowinsert.insert(fast_copy)
    assert fast_copy.pk == second.pk
    assert orm_row == _raw(CaseFact, second.pk)

    step = StepFact.objects.filter(case=first).order_by("seq").first()
    step.started_on = step.started_at  # a time for a date column: the ORM takes its local date
    orm, fast = rows_both_ways(step, orm={"seq": 10}, fast={"seq": 11})  # (case, seq) is unique
    assert orm.pop("seq") == 10 and fast.pop("seq") == 11
    assert orm == fast


def test_the_signals_and_the_receivers_effects_are_those_of_save(city, grids, garbage, frozen):
    seen = []

    def pre(sender, instance, raw, update_fields, **kwargs):
        seen.append(("pre", sender, instance.pk, raw, update_fields))

    def post(sender, instance, created, raw, **kwargs):
        seen.append(("post", sender, instance.pk, created, raw))

    signals.pre_save.connect(pre, sender=Case)
    signals.post_save.connect(post, sender=Case)
    try:
        case = report(city, garbage)
    finally:
        signals.pre_save.disconnect(pre, sender=Case)
        signals.post_save.disconnect(post, sender=Case)
    # on PostgreSQL the intake takes the case's key with its number (its rows then go in one round trip)
    before = case.pk if connection.vendor == "postgresql" else None
    assert seen == [("pre", Case, before, False, None), ("post", Case, case.pk, True, False)]
    # cases' own pre_save receiver (the provisional-deadline flag) ran before the row was written
    assert Case.objects.get(pk=case.pk).deadline_provisional == case.deadline_provisional


def _fresh_copy(instance, **values):
    new = copy.copy(instance)
    new.__dict__ = copy.deepcopy({k: v for k, v in instance.__dict__.items() if k != "_state"})
    new._state = type(instance._state)()
    for name, value in values.items():
        setattr(new, name, value)
    return new


def _round_trips(captured) -> list[int]:
    """INSERTs per round trip: a statement on its own, or the statements of one `core.pipeline` round trip."""
    trips: dict = {}
    for i, q in enumerate(captured):
        if "INSERT INTO" not in q["sql"]:
            continue
        logged = pipeline.logged_round(q["sql"])
        key = logged[1] if logged else f"own {i}"
        trips[key] = trips.get(key, 0) + 1
    return list(trips.values())


def test_deferred_rows_go_in_one_round_trip_and_a_read_in_the_block_sees_them(city, grids, garbage, frozen):
    case = report(city, garbage)
    event = CaseEvent.objects.filter(case=case).get()
    top = max(Case.objects.order_by("-pk").values_list("pk", flat=True)[0], event.pk) + 100
    step = StepFact.objects.filter(case=case).get()
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), rowqueue.deferred():
        start = len(captured)  # (the test's savepoint)
        rowinsert.insert(_fresh_copy(case, pk=top, number="X-1", description="100% 的 %s 与 'x'; --"))
        rowinsert.insert(_fresh_copy(event, pk=top, case_id=top))
        queued = len(captured) - start
        assert Case.objects.filter(pk=top).exists()  # a read flushes the rows before it runs
        rowinsert.insert(_fresh_copy(step, pk=None, case_id=top), key=False)
    trips = _round_trips(captured.captured_queries)
    if connection.vendor == "postgresql":
        # the two rows in one round trip before the read, the third at the end of the block
        assert queued == 0 and trips == [2, 1]
    else:  # positive control: nothing deferred elsewhere
        assert queued == 2 and trips == [1, 1, 1]
    assert CaseEvent.objects.filter(pk=top, case_id=top).exists()
    assert StepFact.objects.filter(case_id=top).count() == 1
    assert Case.objects.get(pk=top).description == "100% 的 %s 与 'x'; --"  # bound as a value, whatever it holds


def test_a_deferred_row_that_fails_raises_in_the_block_and_leaves_nothing(city, grids, garbage, frozen):
    case = report(city, garbage)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    with pytest.raises(IntegrityError), transaction.atomic(), rowqueue.deferred():
        rowinsert.insert(_fresh_copy(case, pk=top, number="X-2"))
        rowinsert.insert(_fresh_copy(case, pk=top + 1, number=case.number))  # the number is taken
    assert not Case.objects.filter(pk__in=(top, top + 1)).exists()
    with transaction.atomic(), rowqueue.deferred():  # positive control: the same rows, a free number
        rowinsert.insert(_fresh_copy(case, pk=top, number="X-2"))
        rowinsert.insert(_fresh_copy(case, pk=top + 1, number="X-3"))
    assert Case.objects.filter(pk__in=(top, top + 1)).count() == 2


def test_values_without_an_instance_are_stored_as_the_instance_is(city, grids, garbage, frozen):
    case = report(city, garbage)
    fact = CaseFact.objects.filter(case=case).values().get()
    step = StepFact.objects.filter(case=case).values().get()
    step.pop("id")
    other = report(city, garbage)
    CaseFact.objects.filter(case=other).delete()
    StepFact.objects.filter(case=other).delete()
    with transaction.atomic(), rowqueue.deferred():
        rowinsert.insert_values(CaseFact, {**fact, "case_id": other.pk})
        partial = {k: v for k, v in step.items() if k not in ("a_handled", "a_on_time")}  # defaults fill these
        rowinsert.insert_values(StepFact, {**partial, "case_id": other.pk})
    first, second = _raw(CaseFact, case.pk), _raw(CaseFact, other.pk)
    assert first == second
    stored = StepFact.objects.filter(case=other).values().get()
    assert {k: v for k, v in stored.items() if k not in ("id", "case_id")} == {
        k: v for k, v in step.items() if k != "case_id"
    }


def test_values_go_through_the_instance_when_a_save_signal_listens(city, grids, garbage, frozen, monkeypatch):
    case = report(city, garbage)
    fact = CaseFact.objects.filter(case=case).values().get()
    CaseFact.objects.filter(case=case).delete()
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append(instance)

    signals.post_save.connect(listen, sender=CaseFact)
    try:
        rowinsert.insert_values(CaseFact, fact)
    finally:
        signals.post_save.disconnect(listen, sender=CaseFact)
    assert [type(h) for h in heard] == [CaseFact] and heard[0].case_id == case.pk
    assert CaseFact.objects.filter(case=case).count() == 1
    CaseFact.objects.filter(case=case).delete()
    built = []
    init = CaseFact.__init__
    monkeypatch.setattr(CaseFact, "__init__", lambda self, *a, **k: built.append(1) or init(self, *a, **k))
    rowinsert.insert_values(CaseFact, fact)  # positive control: nobody listens, no instance, the same row
    assert len(heard) == 1 and CaseFact.objects.filter(case=case).count() == 1
    assert built == []  # (its key is its case's: given, not generated)
    signals.post_save.connect(listen, sender=CaseFact)  # and the counter sees the instance when one is built
    try:
        CaseFact.objects.filter(case=case).delete()
        rowinsert.insert_values(CaseFact, fact)
    finally:
        signals.post_save.disconnect(listen, sender=CaseFact)
    assert built == [1] and len(heard) == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_last_statement_takes_its_value_and_gives_up_when_told(city, grids, garbage, frozen):
    case = report(city, garbage)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True)[0] + 100
    kwargs = dict(source=("n AS (SELECT %s::text AS number)", ["X-LAST"]), columns={"number": "n.number"})
    with transaction.atomic(), rowqueue.deferred():
        row = rowinsert.insert_last(
            _fresh_copy(case, pk=top, number=""), where="true", returning="number", retry=None, **kwargs
        )
    assert row == ("X-LAST",) and Case.objects.get(pk=top).number == "X-LAST"
    tries = []

    def retry():
        tries.append(1)
        if len(tries) == 2:
            raise LookupError("no number")

    event = CaseEvent.objects.filter(case=case).get()
    with pytest.raises(LookupError), transaction.atomic(), rowqueue.deferred():
        rowinsert.insert(_fresh_copy(event, pk=None, case_id=top), key=False)  # queued, sent with the first try
        rowinsert.insert_last(
            _fresh_copy(case, pk=top + 1, number=""), where="false", returning="number", retry=retry, **kwargs
        )
    assert len(tries) == 2 and not Case.objects.filter(pk=top + 1).exists()
    assert CaseEvent.objects.filter(case_id=top).count() == 0  # the queued row went back with the rest


def test_a_key_taken_in_the_batch_is_written_into_the_statements_after_it():
    sql = 'INSERT INTO "t" ("id", "case_id", "note") VALUES (%s, %s, %s)'
    key = rowqueue.Later("currval('s')")
    assert rowqueue.bound(sql, [key, 7, "100% %s"]) == (
        "INSERT INTO \"t\" (\"id\", \"case_id\", \"note\") VALUES (currval('s'), %s, %s)",
        [7, "100% %s"],
    )
    assert rowqueue.bound(sql, [1, key, None]) == (
        "INSERT INTO \"t\" (\"id\", \"case_id\", \"note\") VALUES (%s, currval('s'), %s)", [1, None]
    )
    assert rowqueue.bound(sql, [1, 2, 3]) == (sql, [1, 2, 3])  # positive control: values stay values


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_rows_use_the_keys_a_read_in_the_same_round_trip_takes(city, grids, garbage, frozen):
    from chengguan.cases.services.numbering import _sequence

    case = report(city, garbage)
    event = CaseEvent.objects.filter(case=case).get()
    case_seq, event_seq = _sequence(Case), _sequence(CaseEvent)
    keys = [rowqueue.Later(f"currval('{case_seq}')"), rowqueue.Later(f"currval('{event_seq}')")]
    taken, fact = [], CaseFact.objects.filter(case=case).values().get()
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), rowqueue.deferred():
        rowqueue.queue_read(f"SELECT nextval('{case_seq}'), nextval('{event_seq}')", [], taken.extend)
        rowinsert.insert(_fresh_copy(event, pk=keys[1], case_id=keys[0]))
        rowinsert.insert_values(CaseFact, {**fact, "case_id": keys[0]})
        rowinsert.insert(_fresh_copy(case, pk=keys[0], number="X-LATER"))
        assert not taken  # nothing sent yet: everything waits for the block's end
    ((case_id, event_id),) = taken
    assert _round_trips(captured.captured_queries) == [3]  # the read and the three rows together
    assert Case.objects.get(pk=case_id).number == "X-LATER"
    assert CaseEvent.objects.get(pk=event_id).case_id == case_id
    assert CaseFact.objects.get(case_id=case_id).reported_at == case.reported_at
    assert case_id > case.pk and event_id > event.pk
