"""Reports read from the monthly rollups equal the reports computed from the facts — after live events on old
cases, sweeper ticks, imports, rebuilds, raw SQL writes and a change of a grid's supervisors — and a stored month
is really read (a tampered rollup shows until a fact of its month is written)."""

from datetime import date

import pytest
from django.db import connection

from chengguan.evaluation import rollups
from chengguan.evaluation.access import Viewer
from chengguan.evaluation.facts import facts_rebuild
from chengguan.evaluation.models import CaseFact, FactChange, RollupMonth, RollupRow, StepFact
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.reports import party_report

from .conftest import at
from .scenario import build_march
from .test_facts_incremental import random_histories

VARIANTS = [
    ("supervisor", None),
    ("operator", None),
    ("shift_leader", None),
    ("dispatcher", None),
    ("department", None),
    ("region", "district"),
    ("region", "street"),
    ("region", "community"),
]
PERIODS = ["2026-03", "2026-Q1", "2026", "2026-03-05..2026-04-20"]


def _flat(report):
    rows = sorted((r.key, r.name, r.values, r.score, r.grade, r.rank) for r in report.rows)
    return rows, report.totals


def assert_same(monkeypatch, periods=PERIODS, variants=VARIANTS, now=None):
    """Every report through the rollups equals the same report from the facts; returns how many were compared."""
    for code in periods:
        period = parse_period(code)
        for party, level in variants:
            with monkeypatch.context() as m:
                m.setenv("CHENGGUAN_EVALUATION_ROLLUPS", "0")
                expected = party_report(party, period, Viewer(None), level=level, now=now)
            got = party_report(party, period, Viewer(None), level=level, now=now)
            assert _flat(got) == _flat(expected), (code, party, level)
    return len(periods) * len(variants)


@pytest.fixture
def march(story, city):
    cases = build_march(story, city)
    story.clock.move_to(at(1, 9, 0, month=6))  # March and April are past months: stored
    return cases


def stored(month=date(2026, 3, 1)):
    return RollupMonth.objects.filter(month=month).count()


def test_rollup_reports_equal_fact_reports_on_random_histories(story, city, monkeypatch):
    build_march(story, city)
    random_histories(story, city, seed=5, cases=12, actions=16)
    story.clock.move_to(at(1, 9, 0, month=6))
    assert (
        CaseFact.objects.exclude(reported_on__month=3).exists()
        or StepFact.objects.exclude(started_on__month=3).exists()
    ), "the histories should reach April"
    assert_same(monkeypatch)
    assert stored() == len(VARIANTS)  # the whole months were stored, one row per variant
    assert not FactChange.objects.filter(month=date(2026, 3, 1)).exists()
    assert_same(monkeypatch, now=at(20, 9, 0))  # the live measure (超期未处置) follows the time of the report


def test_a_stored_month_is_read_until_a_fact_of_that_month_changes(march, city, story, monkeypatch):
    """Positive control: a tampered rollup is what the report shows, until a case event of March."""
    period = parse_period("2026-03")
    before = party_report("region", period, Viewer(None), level="district").totals["reported"]
    RollupRow.objects.filter(key="region:district").update(measures={"reported": 1000})
    tampered = party_report("region", period, Viewer(None), level="district").totals["reported"]
    assert tampered == 1000 * RollupRow.objects.filter(key="region:district").count() != before
    # a live event on an old case (reported in March, a month ago): its March facts change
    story.act(march["district_b"], at(10, 9, 0, month=4), "reply", "department_handler", reason="已处理")
    assert FactChange.objects.filter(month=date(2026, 3, 1)).exists()
    assert party_report("region", period, Viewer(None), level="district").totals["reported"] == before
    assert_same(monkeypatch)


def test_a_live_event_on_an_old_case_is_seen(march, story, monkeypatch):
    assert_same(monkeypatch)
    story.walk(
        march["district_b"],
        (at(6, 9, 0, month=4), "reply", "department_handler", {"reason": "已处理"}),
        (at(6, 9, 30, month=4), "check_pass", "outsider"),
        (at(6, 10, 0, month=4), "close", "shift_leader"),
    )
    assert_same(monkeypatch)


def test_a_sweeper_tick_is_seen(march, story, monkeypatch):
    from chengguan.cases.services.sweeper import sweep

    assert_same(monkeypatch)
    FactChange.objects.all().delete()
    when = at(2, 9, 0, month=4)
    story.clock.move_to(when)
    with story.capture(execute=True):
        sweep(now=when)
    assert FactChange.objects.exists()  # the sweeper's urges and supervision wrote facts
    assert_same(monkeypatch)


def test_a_rebuild_an_import_and_raw_sql_are_seen(march, story, monkeypatch):
    from chengguan.evaluation.bulkfacts import on_cases_imported

    assert_same(monkeypatch)
    StepFact.objects.all().delete()
    CaseFact.objects.all().delete()
    facts_rebuild()
    assert_same(monkeypatch)
    # the import path builds the facts of imported cases once each (cases_imported), on its own path
    CaseFact.objects.filter(case=march["clean"]).delete()
    assert_same(monkeypatch, periods=["2026-03"])
    on_cases_imported(None, case_ids=[march["clean"].pk])
    assert_same(monkeypatch)
    # a writer in SQL, bypassing Django (the sweeper's and the bulk importer's set-wise paths)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE evaluation_casefact SET closed = 1 - closed WHERE case_id = %s", [march["void"].pk]
        )
        cur.execute("UPDATE evaluation_stepfact SET on_time = 1 - on_time WHERE step = 'file'")
    assert_same(monkeypatch)


def test_a_grid_with_other_supervisors_moves_the_missed_reports(march, city, monkeypatch):
    from chengguan.grids.models import ResponsibilityGrid

    assert_same(monkeypatch, periods=["2026-03"], variants=[("supervisor", None)])
    grid = ResponsibilityGrid.objects.filter(supervisors=city["supervisor"]).first()
    grid.supervisors.set([city["outsider"]])  # no fact changes; the stored month stays valid
    rows = {r.key: r.values for r in party_report("supervisor", parse_period("2026-03"), Viewer(None)).rows}
    assert rows[city["outsider"].pk]["missed"] == 1
    assert_same(monkeypatch, periods=["2026-03"], variants=[("supervisor", None)])


def test_scoped_viewers_and_short_periods_read_the_facts(march, city):
    RollupMonth.objects.all().delete()
    party_report("department", parse_period("2026-W11"), Viewer(None))
    party_report("region", parse_period("2026-03"), Viewer(None), level="street", parent=city.district_a)
    party_report("region", parse_period("2026-03"), Viewer(city["outsider"]), level="district")
    assert not RollupMonth.objects.exists()
    party_report("region", parse_period("2026-03"), Viewer(None), level="district")  # positive control
    assert RollupMonth.objects.count() == 1
    assert rollups.whole_months(parse_period("2026-02-15..2026-05-01")) == [
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    assert rollups.whole_months(parse_period("2026-03-02..2026-03-31")) == []


def test_refresh_all_recomputes_every_stored_variant_of_a_stale_month(march, story, monkeypatch):
    assert_same(monkeypatch, periods=["2026-03"])
    story.act(march["district_b"], at(10, 9, 0, month=4), "reply", "department_handler", reason="已处理")
    from django.core.management import call_command

    call_command("evaluate", "rollups", verbosity=0)
    assert stored() == len(VARIANTS) and not FactChange.objects.filter(month=date(2026, 3, 1)).exists()
    assert_same(monkeypatch, periods=["2026-03"])


def test_refresh_all_forgets_the_changes_of_months_without_rollups(march, story):
    from django.core.management import call_command

    assert FactChange.objects.filter(month=date(2026, 3, 1)).exists() and not RollupMonth.objects.exists()
    call_command("evaluate", "rollups", verbosity=0)
    assert not FactChange.objects.exists()


def test_a_truncate_drops_the_rollups(march, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    assert_same(monkeypatch, periods=["2026-03"])
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction holds deferred FK checks
        cur.execute("TRUNCATE evaluation_stepfact")
    assert not RollupMonth.objects.exists()
    assert_same(monkeypatch, periods=["2026-03"])


def test_the_current_month_is_read_from_the_facts_and_never_stored(story, city, monkeypatch):
    build_march(story, city)  # the clock stays in March
    assert_same(monkeypatch, periods=["2026-03", "2026"])
    assert RollupMonth.objects.filter(month=date(2026, 2, 1)).exists()  # a past month (empty) is stored
    assert not RollupMonth.objects.filter(month__gte=date(2026, 3, 1)).exists()
    story.clock.move_to(at(1, 9, 0, month=4))
    assert_same(monkeypatch, periods=["2026"])
    assert RollupMonth.objects.filter(month=date(2026, 3, 1)).count() == len(VARIANTS)
