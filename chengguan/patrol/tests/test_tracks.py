"""Patrol tracks: batched, idempotent uploads; coverage per responsibility grid; patrol hours vs schedule."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.core.coords import from_storage
from chengguan.core.errors import PermissionDenied
from chengguan.grids.testing import make_grids
from chengguan.patrol.models import Norm, TrackPoint
from chengguan.patrol.selectors.tracks import coverage, patrol_hours
from chengguan.patrol.services.duty import shift_create
from chengguan.patrol.services.tracks import track_points_upload

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 3, 2)


def at(hh, mm=0, day=DAY):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 3, 9, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def grids(city):
    return make_grids(city)


def phone_point(grids, code, t, pid):
    """A point at the centre of unit grid `code`, as a phone sends it (WGS84)."""
    lng, lat = from_storage(*grids.centre(grids[code]), "wgs84")
    return {"id": pid, "t": t, "lng": lng, "lat": lat, "accuracy": 8}


def test_it_stores_a_batch_once_and_locates_each_point(city, grids):
    batch = [
        phone_point(grids, "410202001001001", at(8), "p1"),
        phone_point(grids, "410202001002008", at(8, 5), "p2"),
        phone_point(grids, "410202001002008", at(8, 5), "p2"),  # sent twice in the same batch
    ]
    result = track_points_upload(actor=city["supervisor"], points=batch)
    assert (result.accepted, result.duplicates, result.rejected) == (2, 1, [])
    stored = {p.client_id: p for p in TrackPoint.objects.filter(user=city["supervisor"])}
    assert stored["p1"].unit_grid.code == "410202001001001"
    assert stored["p2"].unit_grid.code == "410202001002008"
    centre = grids.centre(grids["410202001001001"])
    assert stored["p1"].lng == pytest.approx(centre[0], abs=1e-6)  # converted back to GCJ-02
    again = track_points_upload(actor=city["supervisor"], points=batch)  # the phone retries after a timeout
    assert (again.accepted, again.duplicates) == (0, 3)
    assert TrackPoint.objects.count() == 2


def test_it_rejects_bad_points_and_keeps_the_good_ones(city, grids):
    good = phone_point(grids, "410202001001001", at(8), "ok")
    batch = [
        good,
        good | {"id": "future", "t": datetime(2026, 3, 3, 9, 30, tzinfo=TZ)},
        good | {"id": "old", "t": datetime(2026, 1, 1, tzinfo=TZ)},
        good | {"id": "far", "lat": 123.0},
        good | {"id": ""},
        good | {"id": "naive", "t": datetime(2026, 3, 2, 8)},
        good | {"id": "outside", "lng": 116.4, "lat": 39.9},  # Beijing: stored, but in no unit grid
    ]
    result = track_points_upload(actor=city["supervisor"], points=batch)
    assert result.accepted == 2
    assert [(r["id"], r["code"]) for r in result.rejected] == [
        ("future", "future"),
        ("old", "too_old"),
        ("far", "bad_coordinates"),
        ("", "bad_id"),
        ("naive", "bad_time"),
    ]
    assert TrackPoint.objects.get(client_id="outside").unit_grid is None


def test_only_patrolling_staff_upload_tracks(city, grids):
    point = phone_point(grids, "410202001001001", at(8), "x")
    with pytest.raises(PermissionDenied):
        track_points_upload(actor=city["nobody"], points=[point])
    with pytest.raises(PermissionDenied):
        track_points_upload(actor=city["operator"], points=[point])
    assert track_points_upload(actor=city["outsider"], points=[point]).accepted == 1


def test_coverage_is_the_share_of_unit_grids_visited_in_each_responsibility_grid(city, grids):
    sup = [
        ("410202001001001", at(8, 0)),
        ("410202001001002", at(8, 5)),
        ("410202001001003", at(8, 10)),
        ("410202001001004", at(8, 15)),
        ("410202001001001", at(9, 0)),  # revisit: counted once
    ]
    track_points_upload(
        actor=city["supervisor"], points=[phone_point(grids, c, t, f"s{i}") for i, (c, t) in enumerate(sup)]
    )
    officer = [("410202001001004", at(8, 10)), ("410202001002005", at(8, 20))]
    track_points_upload(
        actor=city["officer"], points=[phone_point(grids, c, t, f"o{i}") for i, (c, t) in enumerate(officer)]
    )
    track_points_upload(
        actor=city["outsider"],
        points=[
            phone_point(grids, "410203001001001", at(10), "b1"),
            phone_point(grids, "410202001002001", at(10, 5, DAY + timedelta(days=1)), "next-day"),
        ],
    )
    a, b = coverage(DAY, [grids.responsibility_a, grids.responsibility_b])
    assert (len(a.visited), a.total, a.share) == (5, 16, 5 / 16)
    assert (len(b.visited), b.total) == (1, 16)
    # somebody was patrolling in grid A from 08:00 to 08:20 (the supervisor's 3 × 5 min, the officer's 10 min
    # overlapping) out of the 16-hour patrol day; the 08:15 → 09:00 gap is longer than 10 minutes.
    assert a.window_covered == timedelta(minutes=20)
    assert a.window_share == pytest.approx(20 / 960)
    assert b.window_covered == timedelta(0)


def test_patrol_hours_are_measured_against_the_roster_or_the_patrol_day(city, grids, patterns, staff):
    code = "410202001001001"
    times = [at(6, 30) + timedelta(minutes=5 * i) for i in range(31)]  # 06:30 … 09:00 every 5 min
    times += [at(9, 30) + timedelta(minutes=5 * i) for i in range(7)]  # 09:30 … 10:00 after a 30-min gap
    track_points_upload(
        actor=city["supervisor"], points=[phone_point(grids, code, t, f"t{i}") for i, t in enumerate(times)]
    )
    # no roster: the patrol day 07:00–23:00 is the schedule
    hours = patrol_hours(city["supervisor"], DAY, region=city.district_a)
    assert not hours.from_roster
    assert hours.scheduled == timedelta(hours=16)
    assert hours.patrolled == timedelta(hours=3)
    assert hours.in_schedule == timedelta(hours=2, minutes=30)
    assert hours.outside_schedule == timedelta(minutes=30)
    # a city that starts at 06:00
    Norm.objects.create(region=city.city, patrol_day_start=at(6).time(), patrol_day_end=at(22).time())
    assert patrol_hours(city["supervisor"], DAY, region=city.district_a).in_schedule == timedelta(hours=3)
    # rostered on the day shift 07:00–15:00
    shift_create(
        actor=city["shift_leader"],
        day=DAY,
        pattern=patterns["day"],
        grid=grids.responsibility_a,
        people=[city["supervisor"]],
    )
    hours = patrol_hours(city["supervisor"], DAY, region=city.district_a)
    assert hours.from_roster
    assert hours.scheduled == timedelta(hours=8)
    assert hours.in_schedule == timedelta(hours=2, minutes=30)
    assert hours.share == pytest.approx(2.5 / 8)


def _as_tuple(c):
    return (c.grid.pk, c.total, sorted(c.visited), c.window_covered, c.window)


def test_coverage_is_cached_per_grid_and_day_and_forgotten_when_a_track_of_that_day_arrives(
    city, grids, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from chengguan.patrol.models import CoverageDay
    from chengguan.patrol.selectors.tracks import coverage_compute

    both = [grids.responsibility_a, grids.responsibility_b]
    track_points_upload(
        actor=city["supervisor"],
        points=[
            phone_point(grids, "410202001001001", at(8, 0), "s1"),
            phone_point(grids, "410202001001002", at(8, 5), "s2"),
        ],
    )
    track_points_upload(actor=city["outsider"], points=[phone_point(grids, "410203001001001", at(10), "b1")])
    first = coverage(DAY, both)
    assert CoverageDay.objects.filter(day=DAY).count() == 2
    with django_assert_max_num_queries(3):  # the cached rows and the norms; no track point is read
        again = coverage(DAY, both)
    assert [_as_tuple(c) for c in again] == [_as_tuple(c) for c in first]
    assert [_as_tuple(c) for c in again] == [_as_tuple(c) for c in coverage_compute(DAY, both)]
    # a point of another day leaves the day's cache alone; a point of that day in grid A forgets grid A only
    with django_capture_on_commit_callbacks(execute=True):
        track_points_upload(
            actor=city["supervisor"],
            points=[phone_point(grids, "410202001001003", at(8, 0, DAY + timedelta(days=1)), "n1")],
        )
    assert CoverageDay.objects.filter(day=DAY).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        track_points_upload(
            actor=city["supervisor"], points=[phone_point(grids, "410202001001003", at(8, 10), "s3")]
        )
    assert list(CoverageDay.objects.filter(day=DAY).values_list("grid_id", flat=True)) == [
        grids.responsibility_b.pk
    ]
    a, b = coverage(DAY, both)
    assert (len(a.visited), a.window_covered) == (3, timedelta(minutes=10))
    assert _as_tuple(b) == _as_tuple(first[1])


def test_a_changed_patrol_day_makes_the_cached_coverage_stale(city, grids):
    track_points_upload(
        actor=city["supervisor"], points=[phone_point(grids, "410202001001001", at(8, 0), "s1")]
    )
    (a,) = coverage(DAY, [grids.responsibility_a])
    Norm.objects.update_or_create(
        region=city.city, defaults={"patrol_day_start": datetime(2026, 1, 1, 8).time()}
    )
    (b,) = coverage(DAY, [grids.responsibility_a])
    assert b.window == timedelta(hours=15) != a.window
