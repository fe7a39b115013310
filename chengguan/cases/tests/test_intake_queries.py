"""The live write path's cost is pinned: a report through the API takes a fixed, small number of queries (the
matter type, unit grid and regions come from per-process memos), and the memos follow changes at once."""

from django.db import connection

from chengguan.catalog.models import MatterType
from chengguan.org.models import Region

from ..models import Case
from .test_api import URL, body, post_json

# token, roles, 2 grid-index token checks (a test's index is provisional: checked on every call; a server's at
# most once a second), number (PostgreSQL: one statement; SQLite: update + check), case, event, 2 fact rows,
# the duplicates, and the test's savepoint pair.
QUERIES = {"postgresql": 12, "sqlite": 13}


def test_a_report_through_the_api_takes_a_pinned_number_of_queries(
    city, grids, frozen, api_client, django_assert_num_queries
):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201  # warms the per-process memos
    with django_assert_num_queries(QUERIES[connection.vendor]) as captured:
        response = post_json(client, URL, body(description="第二次"))
    assert response.status_code == 201, response.content
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("catalog_mattertype", "org_region", "grids_unitgrid"):
        assert f'FROM "{table}"' not in sql, table  # read from the memos, not per request
    assert sql.count("INSERT INTO") == 4  # case, event, case fact, step fact: one row each
    data = response.json()
    assert data["district"] == city.district_a.name and data["number"] == "KF2026-000002"


def test_a_deactivated_matter_is_refused_at_once_after_the_memo_held_it(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201
    matter = MatterType.objects.get(code="06010")
    matter.is_active = False
    matter.save()
    response = post_json(client, URL, body(description="停用后"))
    assert response.status_code in (400, 422) and response.json()["field"] == "matter_code"
    assert Case.objects.count() == 1


def test_a_renamed_district_shows_in_the_next_answer(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).json()["district"] == city.district_a.name
    Region.objects.filter(pk=city.district_a.pk).update(name="新名区")
    Region.objects.get(pk=city.district_a.pk).save()  # the signal refreshes the grid index and its memos
    assert post_json(client, URL, body(description="改名后")).json()["district"] == "新名区"


def test_the_number_skips_one_an_imported_case_holds(city, grids, frozen, api_client):
    from chengguan.cases.testing import report

    client = api_client(city["supervisor"])
    first = post_json(client, URL, body()).json()["number"]
    assert first == "KF2026-000001"
    held = report(city, MatterType.objects.get(code="06010"), number="KF2026-000002")  # a migrated case
    assert held.number == "KF2026-000002"
    assert post_json(client, URL, body(description="下一件")).json()["number"] == "KF2026-000003"
