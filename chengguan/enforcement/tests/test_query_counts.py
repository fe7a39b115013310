"""List pages and list APIs cost the same number of queries for 2 cases as for 8."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chengguan.enforcement.services import case_register_clue

from .conftest import PARTY, at


def _clues(city, n):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        for i in range(n):
            case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                               source="patrol", title=f"占道 {i}", **PARTY)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_page_and_api_queries_do_not_grow_with_the_cases(city, body, items, login, api_client):
    _clues(city, 2)
    page, api = login(city["officer"]), api_client(city["officer"])
    with time_machine.travel(at(2026, 3, 16), tick=False):
        api.get("/api/v1/enforcement/cases")  # the token's first use of the day records itself
        few = (_count(page, "/enforcement/"), _count(api, "/api/v1/enforcement/cases"))
        _clues(city, 6)
        many = (_count(page, "/enforcement/"), _count(api, "/api/v1/enforcement/cases"))
    assert few == many, (few, many)
