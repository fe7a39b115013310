"""The command-centre screen: live KPIs, map layers, overdue list, refreshing panels; scope and query counts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from chengguan.cases.services import case_act, case_report
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.grids.testing import make_grids

TZ = ZoneInfo("Asia/Shanghai")
POINT_A = (114.3075, 34.8075)
POINT_B = (114.3325, 34.8075)


def at(day, hh, mm=0):
    return datetime(2026, 3, day, hh, mm, tzinfo=TZ)


@pytest.fixture
def live(city, django_capture_on_commit_callbacks):
    """Mon 3/16 10:00: an overdue case and a fresh report in district A, a fresh report in district B."""
    make_grids(city)
    matter = MatterType.objects.get(code="06010")
    condition = FilingCondition.objects.filter(matter=matter).order_by("pk").first()
    with time_machine.travel(at(10, 9, 0), tick=False) as clock:

        def report(by, point, when):
            clock.move_to(when)
            with django_capture_on_commit_callbacks(execute=True):
                return case_report(
                    actor=city[by],
                    source="supervisor",
                    matter=matter,
                    lng=point[0],
                    lat=point[1],
                    description="垃圾",
                )

        def act(case, when, action, by, **params):
            clock.move_to(when)
            with django_capture_on_commit_callbacks(execute=True):
                return case_act(actor=city[by], case=case, action=action, **params)

        old = report("supervisor", POINT_A, at(10, 9, 0))
        old = act(old, at(10, 9, 10), "accept", "operator")
        old = act(old, at(10, 9, 20), "file", "shift_leader", filing_condition_id=condition.pk)
        old = act(old, at(10, 9, 30), "dispatch", "dispatcher", department_id=city.sanitation.pk)
        fresh = report("supervisor", POINT_A, at(16, 9, 50))
        other = report("outsider", POINT_B, at(16, 9, 55))
        clock.move_to(at(16, 10, 0))
        yield {"old": old, "fresh": fresh, "other": other}


def test_the_leader_sees_the_whole_city(live, login, city, django_assert_max_num_queries):
    client = login(city["leader"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 30s"' in body and "leaflet/leaflet.js" in body
    assert live["old"].number in body  # in the overdue list


def test_the_kpis_count_today_and_now(live, login, city):
    client = login(city["leader"])
    body = client.get(reverse("dashboard:panels") + "?part=kpis").content.decode()
    kpi = client.get(reverse("dashboard:panels") + "?part=kpis").context["kpi"]
    assert (kpi["reported"], kpi["open"], kpi["red"], kpi["closed"]) == (2, 3, 1, 0)
    assert kpi["closed_on_time_today"] is None  # nothing closed today: "—", not 0 %
    assert "hx-swap-oob" in body


def test_the_map_layers(live, login, city, django_assert_max_num_queries):
    client = login(city["leader"])
    with django_assert_max_num_queries(8):
        cases = client.get(reverse("dashboard:cases")).json()
    lights = {f["properties"]["number"]: f["properties"]["light"] for f in cases["features"]}
    assert lights[live["old"].number] == "red" and lights[live["fresh"].number] == "green"
    grids = client.get(reverse("dashboard:grids")).json()
    assert grids["max"] == 2 and {f["properties"]["open"] for f in grids["features"]} == {1, 2}
    with django_assert_max_num_queries(8):
        sups = client.get(reverse("dashboard:supervisors")).json()
    positions = {f["properties"]["name"]: f for f in sups["features"]}
    assert positions[str(city["supervisor"])]["geometry"]["coordinates"] == list(POINT_A)
    assert positions[str(city["supervisor"])]["properties"]["source"] == "report"
    regions = client.get(reverse("dashboard:regions")).json()
    assert {f["properties"]["name"] for f in regions["features"]} == {
        city.district_a.name,
        city.district_b.name,
    }


def test_track_points_win_over_reports(live, login, city):
    from chengguan.patrol.models import TrackPoint

    TrackPoint.objects.create(
        user=city["supervisor"], client_id="p1", recorded_at=at(16, 9, 58), lng=114.301, lat=34.801
    )
    sups = login(city["leader"]).get(reverse("dashboard:supervisors")).json()
    mine = next(f for f in sups["features"] if f["properties"]["name"] == str(city["supervisor"]))
    assert mine["geometry"]["coordinates"] == [114.301, 34.801] and mine["properties"]["source"] == "track"


def test_a_district_user_sees_only_their_district(live, login, city):
    client = login(city["outsider"])
    cases = client.get(reverse("dashboard:cases")).json()
    assert [f["properties"]["number"] for f in cases["features"]] == [live["other"].number]
    kpi = client.get(reverse("dashboard:panels") + "?part=kpis").context["kpi"]
    assert (kpi["reported"], kpi["red"]) == (1, 0)
    body = client.get(reverse("dashboard:index")).content.decode()
    assert live["old"].number not in body
    sups = client.get(reverse("dashboard:supervisors")).json()
    assert [f["properties"]["name"] for f in sups["features"]] == [str(city["outsider"])]


def test_people_without_a_screen_role_are_refused(live, login, city, client):
    for name in ("nobody", "officer", "department_handler"):
        login(city[name])
        assert client.get(reverse("dashboard:index")).status_code == 403, name
        assert client.get(reverse("dashboard:cases")).status_code == 403, name
    client.logout()
    assert client.get(reverse("dashboard:index")).status_code == 302  # to the login page
