"""Races on a real database (PostgreSQL): row locks make exactly one of two concurrent actions win, and
concurrent intakes never share a number. Skipped on SQLite, whose IMMEDIATE transactions serialise writers."""

import threading

import pytest
from django.db import connection, connections, transaction

from chengguan.core.errors import Conflict

from ..models import Case, CaseEvent
from ..services import case_act
from ..workflow import State

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(*jobs):
    """Run the jobs in threads released together; returns each job's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_it_lets_exactly_one_of_two_concurrent_dispatches_win(walk):
    city = walk.city
    case = walk.to(State.FILED)
    stale_a, stale_b = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    results = race(
        lambda: case_act(
            actor=city["dispatcher"], case=stale_a, action="dispatch", department_id=city.sanitation.pk
        ),
        lambda: case_act(
            actor=city["dispatcher"], case=stale_b, action="dispatch", department_id=city.roads.pk
        ),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    case.refresh_from_db()
    assert case.current_department == winners[0].current_department
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1


def test_it_never_gives_two_concurrent_reports_the_same_number(walk):
    walk.new()  # warm the geocoder's index in this process before the race (see the report on its refresh)
    results = race(*[walk.new for _ in range(6)])
    assert all(isinstance(r, Case) for r in results), results
    assert len({r.number for r in results}) == 6
    assert Case.objects.count() == 7


def test_it_lets_two_sweepers_share_the_work_and_do_each_job_once(walk, frozen):
    from datetime import timedelta

    from ..services.sweeper import sweep

    cases = [walk.to(State.DISPATCHED) for _ in range(3)] + [walk.new() for _ in range(20)]
    frozen.shift(timedelta(days=10))
    results = race(lambda: sweep(batch=3), lambda: sweep(batch=3))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["urged"] for r in results) == len(cases)
    assert sum(r["escalated"] for r in results) == len(cases)
    assert CaseEvent.objects.filter(action="urge").count() == len(cases)
    assert CaseEvent.objects.filter(action="supervise").count() == len(cases)


def test_a_sweeper_pass_comes_back_for_a_row_another_held_and_let_go(walk, frozen):
    """Each batch of a pass starts after the last claimed (time, id); a due row another transaction held (SKIP
    LOCKED) when a batch went past it, and let go of without claiming it (as a sweeper whose newer row version no
    longer matched does), is still done by the same pass: it ends with a batch from the start."""
    from datetime import timedelta

    from ..services.sweeper import sweep
    from ..signals import sweep_events_written

    cases = [walk.new() for _ in range(3)]
    first, held, last = sorted(cases, key=lambda c: (c.deadline, c.pk))
    frozen.shift(timedelta(days=10))
    locked, release, released = threading.Event(), threading.Event(), threading.Event()

    def holder():  # another process's transaction holding the row, then ending without a change
        try:
            with transaction.atomic():
                list(Case.objects.select_for_update().filter(pk=held.pk).values_list("pk", flat=True))
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()
            released.set()

    claims = []

    def on_batch(sender, action, case_ids, **kwargs):
        claims.append((action, list(case_ids)))
        if action == "urge" and last.pk in case_ids:  # the pass went past the held row: let it go now
            release.set()
            released.wait(30)

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(30)
    sweep_events_written.connect(on_batch)
    try:
        result = sweep(batch=1)
    finally:
        sweep_events_written.disconnect(on_batch)
        release.set()
        thread.join(30)
    urged = [ids[0] for action, ids in claims if action == "urge"]
    assert urged == [first.pk, last.pk, held.pk]  # the held row came after the cursor had passed it
    assert result == {"urged": 3, "escalated": 3}
    assert sorted(CaseEvent.objects.filter(action="urge").values_list("case_id", flat=True)) == sorted(
        c.pk for c in cases
    )


def test_a_sweeper_pass_waits_for_a_row_still_held_when_it_closes(walk, frozen):
    """A due row another transaction still holds when the pass's closing batch (from the start) runs is waited
    for, not skipped: once let go it is claimed by the same pass, not left to the next tick."""
    from datetime import timedelta

    from ..services.sweeper import sweep

    cases = [walk.new() for _ in range(3)]
    held = sorted(cases, key=lambda c: (c.deadline, c.pk))[1]
    frozen.shift(timedelta(days=10))
    locked, waited = threading.Event(), []

    def holder():  # holds the row until the sweeper waits for it (or 10 s), then ends without a change
        try:
            with transaction.atomic():
                list(Case.objects.select_for_update().filter(pk=held.pk).values_list("pk", flat=True))
                locked.set()
                with connection.cursor() as cursor:
                    for _ in range(200):
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                       "AND datname = current_database()")  # fmt: skip
                        if cursor.fetchone()[0]:
                            waited.append(True)
                            break
                        threading.Event().wait(0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    assert locked.wait(30)
    try:
        result = sweep(batch=1)
    finally:
        thread.join(30)
    assert waited == [True]  # the sweeper waited for the row
    assert result == {"urged": 3, "escalated": 3}
    assert sorted(CaseEvent.objects.filter(action="urge").values_list("case_id", flat=True)) == sorted(
        c.pk for c in cases
    )
