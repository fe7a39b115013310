"""An Open311 POST (FixMyStreet-shaped) takes a pinned number of queries: key, rate counter (one UPDATE …
RETURNING), the case's own writes and one submission INSERT; no matter or filing-condition read per request."""

from django.db import connection

from chengguan.public.models import Open311Submission

from .test_open311 import fms_post

# key, rate counter, 2 grid-index token checks (provisional index in a test), number (1 on PostgreSQL, 2 on
# SQLite), case, event, 2 fact rows, submission, and the test's savepoint pair.
QUERIES = {"postgresql": 12, "sqlite": 13}


def test_an_open311_post_takes_a_pinned_number_of_queries(
    client, city, grids, frozen, open311_key, django_assert_num_queries
):
    assert fms_post(client, open311_key, fmt="json").status_code == 200  # warms the per-process memos
    with django_assert_num_queries(QUERIES[connection.vendor]) as captured:
        response = fms_post(client, open311_key, fmt="json", **{"attribute[fixmystreet_id]": "124"})
    assert response.status_code == 200, response.content
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert 'FROM "catalog_mattertype"' not in sql and 'FROM "catalog_filingcondition"' not in sql
    assert sql.count("INSERT INTO") == 5 and "UPDATE \"public_open311submission\"" not in sql
    number = response.json()[0]["service_request_id"]
    assert Open311Submission.objects.get(case__number=number).attributes["fixmystreet_id"] == "124"

