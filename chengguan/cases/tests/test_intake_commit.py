"""PostgreSQL: an intake that owns its transaction sends its COMMIT with its last statement (the case, numbered in
it) — one round trip fewer, the year's counter row locked for that statement and the commit only. When that
statement inserts nothing (the year's first case: no counter row; a number an imported case holds) the commit fails,
nothing is written, and the intake runs again the long way. Inside a caller's transaction nothing commits early.
Real commits: a transactional test, the rows read back through a connection of their own."""

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chengguan.core import pipeline
from chengguan.evaluation.models import CaseFact, StepFact

from ..models import Case, CaseCounter, CaseEvent
from ..testing import report

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipelined intake is PostgreSQL's"),
]


def committed(number):
    """The case as another connection sees it: committed, or None."""
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
                         dbname=settings["NAME"], autocommit=True) as other:
        return other.execute(f"SELECT id FROM {Case._meta.db_table} WHERE number = %s", [number]).fetchone()


def pipelines(captured):
    """The statements of each pipelined round trip, in order."""
    rounds: dict = {}
    for logged in filter(None, (pipeline.logged_round(q["sql"]) for q in captured.captured_queries)):
        rounds.setdefault(logged[1], []).append(logged[0])
    return list(rounds.values())


def whole(case):
    """Each row the report writes, once."""
    return (CaseEvent.objects.filter(case=case).count(), CaseFact.objects.filter(case=case).count(),
            StepFact.objects.filter(case=case).count())


def test_the_commit_goes_with_the_numbered_case(city, grids, garbage, frozen):
    from ..signals import case_event_recorded

    report(city, garbage)  # the year's counter row exists from here (and the memos are warm)
    heard = []

    def listen(sender, event, **kwargs):  # after the commit, as the notifications hear it
        heard.append((event.pk, event.case_id, event.case.number))

    case_event_recorded.connect(listen)
    try:
        with CaptureQueriesContext(connection) as captured:
            case = report(city, garbage, description="第二件")
    finally:
        case_event_recorded.disconnect(listen)
    (only,) = pipelines(captured)  # the whole report in one round trip: keys, rows, case, commit
    assert only[0].startswith("SELECT nextval(") and "currval(" in only[1]  # the event takes the keys taken first
    assert only[-1] == "COMMIT" and only[-2].startswith("WITH n AS (UPDATE")  # the case, then its commit
    assert case.number == "KF2026-000002" and committed(case.number) == (case.pk,)
    assert whole(case) == (1, 1, 1)
    event = CaseEvent.objects.get(case=case)  # the keys the batch took are the ones the instances carry
    assert heard == [(event.pk, case.pk, case.number)]
    assert CaseFact.objects.get(case=case).reported_at == case.reported_at


def test_the_years_first_case_is_numbered_after_the_failed_commit(city, grids, garbage, frozen):
    CaseCounter.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        case = report(city, garbage)
    assert case.number == "KF2026-000001" and committed(case.number) == (case.pk,)
    assert Case.objects.count() == 1 and whole(case) == (1, 1, 1)  # the failed turn left nothing
    assert CaseCounter.objects.get().last == 1
    commits = [stmts for stmts in pipelines(captured) if stmts[-1] == "COMMIT"]
    assert len(commits) == 1  # the first turn's commit (it failed); the second turn committed the long way


def test_a_number_an_imported_case_holds_is_skipped_after_the_failed_commit(city, grids, garbage, frozen):
    first = report(city, garbage)
    held = report(city, garbage, number="KF2026-000002")  # a migrated case, numbered by the old system
    case = report(city, garbage, description="下一件")
    assert (first.number, held.number, case.number) == ("KF2026-000001", "KF2026-000002", "KF2026-000003")
    assert Case.objects.count() == 3 and whole(case) == (1, 1, 1)
    assert CaseCounter.objects.get().last == 3


def test_inside_a_callers_transaction_nothing_commits_early(city, grids, garbage, frozen):
    report(city, garbage)

    class Undo(Exception):
        pass

    with CaptureQueriesContext(connection) as captured, pytest.raises(Undo), transaction.atomic():
        case = report(city, garbage, description="撤回")
        assert Case.objects.filter(pk=case.pk).exists()  # (in the caller's transaction)
        raise Undo
    assert not any("COMMIT" in stmts for stmts in pipelines(captured))
    assert not Case.objects.filter(pk=case.pk).exists() and committed(case.number) is None
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    again = report(city, garbage, description="再报")  # positive control: the same report, committed
    assert again.number == case.number and committed(again.number) == (again.pk,)


def test_a_post_save_receiver_of_the_case_writes_in_the_transaction(city, grids, garbage, frozen):
    from django.db.models import signals
    from psycopg.pq import TransactionStatus

    report(city, garbage)
    heard = []

    def listen(sender, instance, created, **kwargs):  # as a receiver that writes would find it
        heard.append(connection.connection.info.transaction_status)

    signals.post_save.connect(listen, sender=Case)
    try:
        with CaptureQueriesContext(connection) as captured:
            case = report(city, garbage, description="有人在听")
    finally:
        signals.post_save.disconnect(listen, sender=Case)
    assert heard == [TransactionStatus.INTRANS]  # the transaction still open: its writes commit with the case
    assert not any("COMMIT" in stmts for stmts in pipelines(captured))
    assert committed(case.number) == (case.pk,)


def test_a_json_report_through_the_api_commits_with_its_case(city, grids, frozen, api_client):
    from .test_api import URL, body, post_json

    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = post_json(client, URL, body(description="第二次"))
    assert response.status_code == 201, response.content
    assert pipelines(captured)[-1][-1] == "COMMIT"  # the view left the transaction to the intake
    number = response.json()["number"]
    assert committed(number) == (Case.objects.get(number=number).pk,)
