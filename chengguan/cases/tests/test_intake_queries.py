"""The live write path's cost is pinned: a report through the API takes a fixed, small number of queries (the
token with its user and roles, the matter type, unit grid and regions come from per-process memos), and the memos
follow changes at once."""

from django.db import connection
from django.utils import timezone

from chengguan.catalog.models import MatterType
from chengguan.core import pipeline
from chengguan.org import services as org_services
from chengguan.org.models import ApiToken, Region, User

from ..models import Case
from .test_api import URL, body, post_json

# 2 grid-index token checks (a test's index is provisional: checked on every call; a server's at most once a
# second); then (the view opens no transaction for a JSON report: the intake's own, inside the test's, takes no
# savepoint), PostgreSQL: the case's and event's keys with the answer's duplicate
# search (one pipeline: one round trip with the BEGIN), the event, 2 fact rows and the case with its number (one
# pipeline: one round trip); SQLite: number (update + check), the four rows, the duplicates. The API token, its
# user and their roles come from the token memo.
QUERIES = {"postgresql": 8, "sqlite": 9}
PIPELINED = {"postgresql": [2, 4], "sqlite": []}  # statements per round trip sent through `core.pipeline`


def test_a_report_through_the_api_takes_a_pinned_number_of_queries(
    city, grids, frozen, api_client, django_assert_num_queries
):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201  # warms the per-process memos
    with django_assert_num_queries(QUERIES[connection.vendor]) as captured:
        response = post_json(client, URL, body(description="第二次"))
    assert response.status_code == 201, response.content
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    for table in ("catalog_mattertype", "org_region", "grids_unitgrid", "org_apitoken", "org_roleassignment"):
        assert f'FROM "{table}"' not in sql, table  # read from the memos, not per request
    assert sql.count("INSERT INTO") == 4  # case, event, case fact, step fact: one row each
    rounds: dict = {}
    for logged in filter(None, (pipeline.logged_round(q["sql"]) for q in captured.captured_queries)):
        rounds[logged[1]] = rounds.get(logged[1], 0) + 1
    assert list(rounds.values()) == PIPELINED[connection.vendor]
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


def test_the_token_memo_reads_the_token_once_and_follows_a_revocation_here_at_once(
    city, grids, frozen, api_client, django_assert_num_queries
):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201  # warms every memo
    org_services.forget_tokens()
    # + the token and the roles: not memoised
    with django_assert_num_queries(QUERIES[connection.vendor] + 2) as captured:
        assert post_json(client, URL, body(description="第二次")).status_code == 201
    assert 'FROM "org_apitoken"' in " ".join(q["sql"] for q in captured.captured_queries)
    org_services.token_revoke(token=ApiToken.objects.get(user=city["supervisor"]))  # save(): the signal
    assert post_json(client, URL, body(description="吊销后")).status_code == 401
    assert Case.objects.count() == 2


def test_a_lost_role_or_a_deactivated_account_is_refused_at_once(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201
    city["supervisor"].role_assignments.all().delete()
    assert post_json(client, URL, body(description="无角色")).status_code == 403
    other = api_client(city["operator"])
    assert post_json(other, URL, body(source="hotline", reporter_phone="13912341234")).status_code == 201
    user = User.objects.get(pk=city["operator"].pk)
    user.is_active = False
    user.save()
    assert post_json(other, URL, body(source="hotline", description="停用后")).status_code == 401
    assert Case.objects.count() == 2


def test_a_revocation_by_another_process_is_seen_within_the_memo_seconds(
    city, grids, frozen, api_client, monkeypatch
):
    client = api_client(city["supervisor"])
    assert post_json(client, URL, body()).status_code == 201
    ApiToken.objects.update(revoked_at=timezone.now())  # an update sends no signal: as from elsewhere
    # the memo still holds it
    assert post_json(client, URL, body(description="仍在记忆中")).status_code == 201
    monkeypatch.setattr(org_services, "TOKEN_CACHE_SECONDS", -1)  # the memo's seconds have passed
    assert post_json(client, URL, body(description="过期后")).status_code == 401
    assert Case.objects.count() == 2
