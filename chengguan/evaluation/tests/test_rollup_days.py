"""The current month in the rollups: its closed days are stored per day, today is read from the facts. Reports of
the current month, its quarter and its year equal the reports from the facts after every kind of write — live
events on today's and older cases, sweeper ticks, rebuilds, the import's rebuild, the bulk import (COPY on
PostgreSQL), raw SQL, COPY, deletes — and only the days written are recomputed (a tampered day shows until a fact
of that day is written)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from chengguan.evaluation import rollups
from chengguan.evaluation.access import Viewer
from chengguan.evaluation.models import CaseFact, FactChange, RollupDay, RollupDayRow, RollupMonth, StepFact
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.reports import party_report

from .conftest import at
from .scenario import build_march
from .test_facts_incremental import random_histories
from .test_rollups import VARIANTS, assert_same

MARCH = date(2026, 3, 1)
CURRENT = ["2026-03", "2026-Q1", "2026"]  # build_march leaves the clock on 26 March


def d(day: int, month: int = 3) -> date:
    return date(2026, month, day)


def stored_ids() -> dict:
    return {(k, day): pk for pk, k, day in RollupDay.objects.values_list("pk", "key", "day")}


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def test_the_closed_days_are_stored_and_today_is_read_from_the_facts(march, story, monkeypatch):
    story.report(at(26, 9, 30))  # a report today
    assert_same(monkeypatch, periods=CURRENT)
    assert set(RollupDay.objects.values_list("day", flat=True)) == {d(n) for n in range(1, 26)}
    assert RollupDay.objects.count() == 25 * len(VARIANTS)  # every variant, each closed day, once
    assert RollupDayRow.objects.filter(day=d(10), key="region:district").exists()  # days with facts have rows
    # the current month is never stored whole; February is (for the year)
    assert not RollupMonth.objects.filter(month__gte=MARCH).exists()
    assert RollupMonth.objects.filter(month=d(1, 2)).count() == len(VARIANTS)
    # the next day: yesterday is stored too, the days before are read as they were
    before = stored_ids()
    story.clock.move_to(at(27, 9, 0))
    assert_same(monkeypatch, periods=CURRENT)
    after = stored_ids()
    assert {day for _k, day in after.keys() - before.keys()} == {d(26)}
    assert all(after[k] == pk for k, pk in before.items())


def test_a_stored_day_is_read_until_a_fact_of_that_day_is_written(march, story, monkeypatch):
    assert_same(monkeypatch, periods=CURRENT)
    period = parse_period("2026-03")

    def reported():
        return party_report("region", period, Viewer(None), level="district").totals["reported"]

    truth = reported()
    RollupDayRow.objects.filter(key="region:district", day=d(10)).update(measures={"reported": 1000})
    assert reported() > 1000 > truth  # positive control: the stored day is what the report reads
    # a live event today on a case reported on the 10th: its case fact (10th) and step rows change
    before = stored_ids()
    story.act(march["district_b"], at(26, 10, 0), "reply", "department_handler", reason="已处理")
    written = set(FactChange.objects.values_list("day", flat=True))
    assert d(10) in written and d(26) in written
    assert reported() == truth
    assert_same(monkeypatch, periods=CURRENT)
    after = stored_ids()
    recomputed = {day for key, day in before if after.get((key, day)) != before[(key, day)]}
    assert recomputed == written - {d(26)}  # exactly the days written (today is never stored)


def test_every_writer_is_seen_in_the_current_month(story, city, monkeypatch):
    from chengguan.cases.services.sweeper import sweep
    from chengguan.evaluation.bulkfacts import on_cases_imported
    from chengguan.evaluation.facts import facts_rebuild

    march = build_march(story, city)
    assert_same(monkeypatch, periods=CURRENT)
    # live events on today's and older cases, sweeper ticks among them, days moving on
    random_histories(story, city, seed=7, cases=8, actions=10)
    today = rollups.today()
    periods = [f"{today:%Y-%m}", f"{today:%Y}", "2026-03", "2026-Q1"]
    assert_same(monkeypatch, periods=periods)
    assert RollupDay.objects.filter(day__gte=rollups.current_month()).exists() or today.day == 1
    when = at(today.day, 23, 0, month=today.month)
    story.clock.move_to(when)
    with story.capture(execute=True):
        sweep(now=when)
    assert_same(monkeypatch, periods=periods)
    # a rebuild, and the import path's rebuild of one case
    facts_rebuild()
    assert_same(monkeypatch, periods=periods)
    CaseFact.objects.filter(case=march["clean"]).delete()
    StepFact.objects.filter(case=march["clean"]).delete()
    assert_same(monkeypatch, periods=periods)
    on_cases_imported(None, case_ids=[march["clean"].pk])
    assert_same(monkeypatch, periods=periods)
    # raw SQL on both tables (the sweeper's and the bulk importer's set-wise paths)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE evaluation_casefact SET closed = 1 - closed WHERE case_id = %s", [march["void"].pk]
        )
        cur.execute("UPDATE evaluation_stepfact SET on_time = 1 - on_time WHERE step = 'file'")
    assert_same(monkeypatch, periods=periods)


def test_the_bulk_import_is_seen_in_the_current_month(march, story, monkeypatch, tmp_path):
    """The bulk import writes its facts with COPY on PostgreSQL (one prepared INSERT on SQLite)."""
    from chengguan.cases.bulk import bulk_import
    from chengguan.cases.exchange import export_cases
    from chengguan.cases.tests.test_exchange import wipe

    path = tmp_path / "cases.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        export_cases(out)
    facts = CaseFact.objects.count()
    assert_same(monkeypatch, periods=CURRENT)
    wipe()  # the cases go, their facts with them
    assert not CaseFact.objects.exists()
    assert_same(monkeypatch, periods=CURRENT)
    result = bulk_import(path, chunk=3)
    assert result["cases"] == facts == CaseFact.objects.count()
    assert_same(monkeypatch, periods=CURRENT)


def test_copy_is_seen(march, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    raw = connection.connection  # psycopg 3, in the test's transaction
    select = f"SELECT * FROM evaluation_stepfact WHERE case_id = {march['rework'].pk}"
    with raw.cursor() as cur, cur.copy(f"COPY ({select}) TO STDOUT") as copy:
        data = b"".join(bytes(block) for block in copy)
    assert data
    StepFact.objects.filter(case=march["rework"]).delete()
    assert_same(monkeypatch, periods=CURRENT)  # the days stored without them
    with raw.cursor() as cur, cur.copy("COPY evaluation_stepfact FROM STDIN") as copy:
        copy.write(data)
    assert StepFact.objects.filter(case=march["rework"]).exists()
    assert_same(monkeypatch, periods=CURRENT)


def test_the_nightly_job_recomputes_stored_days_forgets_the_rest_drops_past_days(march, story, monkeypatch):
    assert_same(monkeypatch, periods=CURRENT)
    story.act(march["district_b"], at(26, 10, 0), "reply", "department_handler", reason="已处理")
    assert FactChange.objects.filter(day=d(26)).exists()  # today's: nothing stored for it
    call_command("evaluate", "rollups", verbosity=0)
    assert not FactChange.objects.exists()
    assert RollupDay.objects.filter(day=d(10)).count() == len(VARIANTS)  # recomputed, every variant
    assert_same(monkeypatch, periods=CURRENT)
    # the month turns: March is a past month, stored whole when a report needs it; its days are dropped
    story.clock.move_to(at(1, 9, 0, month=4))
    assert_same(monkeypatch, periods=["2026-03", "2026"])
    assert RollupMonth.objects.filter(month=MARCH).count() == len(VARIANTS)
    call_command("evaluate", "rollups", verbosity=0)
    assert not RollupDay.objects.exists() and not RollupDayRow.objects.exists()
    assert_same(monkeypatch, periods=["2026-03", "2026"])


def test_consuming_a_change_drops_every_rollup_stored_for_its_day_and_month(march, story, monkeypatch):
    """A refresh that deletes a day's change rows must drop what else was stored from that day (other variants'
    days, a stored month): they no longer know the day changed."""
    assert_same(monkeypatch, periods=["2026-03"], variants=[("region", "district"), ("department", None)])
    story.act(march["district_b"], at(26, 10, 0), "reply", "department_handler", reason="已处理")
    # only the region report is read: it consumes the 10th's change rows …
    assert_same(monkeypatch, periods=["2026-03"], variants=[("region", "district")])
    assert not FactChange.objects.filter(day=d(10)).exists()
    # … so the department's stored 10th went with them, and is recomputed when read
    assert not RollupDay.objects.filter(key="department:", day=d(10)).exists()
    assert RollupDay.objects.filter(key="department:", day=d(11)).exists()
    assert_same(monkeypatch, periods=["2026-03"], variants=[("department", None)])
    # a month stored while it was past (the clock moved back) goes too when one of its days is consumed
    story.clock.move_to(at(1, 9, 0, month=4))
    assert_same(monkeypatch, periods=["2026-03"], variants=[("region", "district")])
    assert RollupMonth.objects.filter(month=MARCH).exists()
    story.clock.move_to(at(27, 9, 0))
    story.act(march["citizen"], at(27, 9, 0), "resume", "dispatcher")
    assert_same(monkeypatch, periods=CURRENT)
    assert not RollupMonth.objects.filter(month=MARCH).exists()


def test_facts_changed_marks_days_and_their_months(db):
    rollups.facts_changed([d(17), d(2), d(30, 4), d(2)])
    assert sorted(FactChange.objects.values_list("month", "day")) == [
        (MARCH, d(2)),
        (MARCH, d(17)),
        (d(1, 4), d(30, 4)),
    ]


def test_the_unit_grid_level_reads_its_current_month_from_the_facts(march, monkeypatch):
    assert_same(monkeypatch, periods=CURRENT, variants=[("region", "grid"), ("region", "district")])
    assert not RollupDay.objects.filter(key="region:grid").exists()
    assert RollupDay.objects.filter(key="region:district").exists()  # positive control
    assert RollupMonth.objects.filter(key="region:grid", month=d(1, 2)).exists()  # past months are stored
