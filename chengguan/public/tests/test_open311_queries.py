"""An Open311 POST (FixMyStreet-shaped) takes a pinned number of queries: the case's own writes and one submission
INSERT, the key's rate counter in it (PostgreSQL: a CTE) or just before (SQLite); no key, matter or
filing-condition read per request (memos)."""

from django.db import connection

from chengguan.public.models import Open311Submission

from .test_open311 import fms_post

# 2 grid-index token checks (provisional index in a test) and the test's savepoint pair; PostgreSQL: the case's
# and event's keys (one pipelined round trip with the BEGIN), the event, 2 fact rows and the case with its number
# (one pipelined round trip: `rowqueue.deferred`, `insert_last`), the submission with the rate counter; SQLite:
# number (2), the four rows, the submission with the rate counter (2). The key comes from the key memo.
QUERIES = {"postgresql": 10, "sqlite": 12}


def test_an_open311_post_takes_a_pinned_number_of_queries(
    client, city, grids, frozen, open311_key, django_assert_num_queries
):
    assert fms_post(client, open311_key, fmt="json").status_code == 200  # warms the per-process memos
    with django_assert_num_queries(QUERIES[connection.vendor]) as captured:
        response = fms_post(client, open311_key, fmt="json", **{"attribute[fixmystreet_id]": "124"})
    assert response.status_code == 200, response.content
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert 'FROM "catalog_mattertype"' not in sql and 'FROM "catalog_filingcondition"' not in sql
    assert 'FROM "public_open311key"' not in sql
    assert sql.count("INSERT INTO") == 6 and 'UPDATE "public_open311submission"' not in sql
    (counter,) = [q["sql"] for q in captured.captured_queries if '"public_ratecounter"' in q["sql"]]
    assert ('INSERT INTO "public_open311submission"' in counter) == (connection.vendor == "postgresql")
    number = response.json()[0]["service_request_id"]
    assert Open311Submission.objects.get(case__number=number).attributes["fixmystreet_id"] == "124"


def test_the_key_memo_follows_a_revocation_here_at_once_and_elsewhere_within_its_seconds(
    client, city, grids, frozen, open311_key, monkeypatch
):
    from django.utils import timezone

    from chengguan.public.models import Open311Key
    from chengguan.public.services import open311 as svc

    assert fms_post(client, open311_key, fmt="json").status_code == 200
    Open311Key.objects.update(revoked_at=timezone.now())  # an update sends no signal: as from another process
    assert fms_post(client, open311_key, fmt="json").status_code == 200  # the memo still holds the key
    monkeypatch.setattr(svc, "KEY_CACHE_SECONDS", -1)  # its seconds have passed
    assert fms_post(client, open311_key, fmt="json").status_code in (401, 403)
    monkeypatch.undo()
    Open311Key.objects.update(revoked_at=None)
    svc.forget_keys()
    assert fms_post(client, open311_key, fmt="json").status_code == 200
    svc.open311_key_revoke(prefix=Open311Key.objects.get().prefix)  # here: refused at once
    assert fms_post(client, open311_key, fmt="json").status_code in (401, 403)
    assert Open311Submission.objects.count() == 3


def test_the_submission_row_is_stored_as_save_stores_it(client, city, grids, frozen, open311_key):
    from chengguan.cases.tests.test_rowinsert import _raw
    from chengguan.public.services.open311 import open311_submit

    assert fms_post(client, open311_key, fmt="json", **{"attribute[fixmystreet_id]": "7"}).status_code == 200
    located = Open311Submission.objects.get()
    pending = open311_submit(key=located.key, matter=located.matter, lat=None, long=None, address_string="西门大街",
                             attributes={"nested": {"二": [1, 2.5, None]}}, severity="pressing")  # fmt: skip
    for copy, stored in enumerate((located, Open311Submission.objects.get(pk=pending.pk))):
        again = Open311Submission(
            **{f.attname: getattr(stored, f.attname) for f in Open311Submission._meta.fields}
        )
        again.pk, again.token, again.case_id = None, f"copy{copy}", None
        again.save(force_insert=True)  # the ORM's row of the same submission
        fast, orm = _raw(Open311Submission, stored.pk), _raw(Open311Submission, again.pk)
        assert fast.pop("token") == stored.token and orm.pop("token") == f"copy{copy}"
        assert fast.pop("case_id") == stored.case_id and orm.pop("case_id") is None
        assert fast == orm and fast["received_at"] is not None
    assert located.case_id and pending.case_id is None
    assert pending.attributes == {"nested": {"二": [1, 2.5, None]}, "severity": "pressing"}


def test_each_request_gets_its_own_copy_of_a_memoised_key(db, open311_key):
    from chengguan.public.services.open311 import open311_key_authenticate

    first = open311_key_authenticate(open311_key)
    first.name = "changed by a request"
    second = open311_key_authenticate(open311_key)
    assert second is not first and second.pk == first.pk and second.name != first.name
    assert not second._state.adding and second._state.db == "default" and second._state is not first._state
