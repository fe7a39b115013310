"""Ranking pages, drill-down and exports, seen by each persona; query counts are pinned."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .scenario import build_march


@pytest.fixture
def march(story, city):
    return build_march(story, city)


# Statements of a ranking page's first view of the current month (build_march leaves the clock on 26 March), which
# stores the month's 25 closed days of the party (one grouped query per source, the supervisor has 4: the same for
# any number of days), and of a later view, which reads them (one query) and today's facts.
COLD, WARM = 32, 19


def rank_url(party, **params):
    query = "&".join(f"{k}={v}" for k, v in {"period": "2026-03", **params}.items())
    return reverse("evaluation:rank", args=[party]) + "?" + query


@pytest.mark.parametrize(
    "party", ["region", "department", "supervisor", "operator", "shift_leader", "dispatcher"]
)
def test_the_leader_sees_every_ranking(march, login, city, party, django_assert_max_num_queries):
    client = login(city["leader"])
    # the first view of the current month stores its closed days: a few statements per source, whatever the days
    with django_assert_max_num_queries(COLD):
        response = client.get(rank_url(party))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="echart' in body and "2026-03" in body
    with django_assert_max_num_queries(WARM):  # later views read them
        assert client.get(rank_url(party)).status_code == 200


def test_the_region_ranking_shows_scores_grades_and_dashes(march, login, city):
    body = login(city["leader"]).get(rank_url("region")).content.decode()
    assert city.district_a.name in body and city.district_b.name in body
    assert "81.33" in body or "81.34" in body
    assert "—" in body  # the complaint closure rate of district A has no value


def test_the_drill_down_goes_district_street_community_grid_cases(march, login, city, grids):
    client = login(city["leader"])
    body = client.get(
        reverse("evaluation:region", args=[city.district_a.pk]) + "?period=2026-03"
    ).content.decode()
    assert city.street_a.name in body
    body = client.get(
        reverse("evaluation:region", args=[city.street_a.pk]) + "?period=2026-03"
    ).content.decode()
    assert city.community_a1.name in body and city.community_a2.name in body
    body = client.get(
        reverse("evaluation:region", args=[city.community_a1.pk]) + "?period=2026-03"
    ).content.decode()
    assert "410202001001006" in body
    grid = grids["410202001001006"]
    body = client.get(reverse("evaluation:grid", args=[grid.pk]) + "?period=2026-03").content.decode()
    assert march["clean"].number in body and march["district_b"].number not in body


def test_the_case_list_filters_by_flag(march, login, city):
    client = login(city["leader"])
    url = reverse("evaluation:cases") + f"?period=2026-03&region={city.district_a.pk}&flag=reworked"
    body = client.get(url).content.decode()
    assert march["rework"].number in body and march["clean"].number not in body


def test_every_table_exports_to_excel(march, login, city):
    client = login(city["leader"])
    urls = [
        rank_url("department", export="xlsx"),
        reverse("evaluation:region", args=[city.district_a.pk]) + "?period=2026-03&export=xlsx",
        reverse("evaluation:cases") + "?period=2026-03&export=xlsx",
        reverse("evaluation:measures") + "?period=2026-03&export=xlsx",
        reverse("evaluation:assessment") + "?period=2026-03&export=xlsx",
        reverse("evaluation:notices") + "?export=xlsx",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        load_workbook(io.BytesIO(response.getvalue()))
    wb = load_workbook(io.BytesIO(client.get(urls[0]).getvalue()))
    ws = wb.active
    header = [c.value for c in ws[5]]  # below the title block (name, filters, export time and user)
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref.startswith("A5:")
    values = {ws.cell(row=r, column=2).value: r for r in range(6, ws.max_row + 1)}
    roads_row = values[city.roads.name]
    handle_rate_col = (
        header.index(next(h for h in header if h and ("处置率" in h or h == "disposal rate"))) + 1
    )
    assert ws.cell(row=roads_row, column=handle_rate_col).value == "—"  # no value, not 0 %
    rates = [ws.cell(row=r, column=handle_rate_col) for r in values.values()]
    assert any(c.number_format == "0.00%" and 0 <= c.value <= 1 for c in rates)  # a percent, not a bare number


def test_a_district_user_sees_only_their_district(march, login, city):
    client = login(city["outsider"])  # a supervisor of district B
    body = client.get(rank_url("region")).content.decode()
    assert city.district_b.name in body and city.district_a.name not in body
    assert client.get(reverse("evaluation:region", args=[city.district_a.pk])).status_code == 404
    body = client.get(rank_url("supervisor")).content.decode()
    assert str(city["outsider"]) in body and ">supervisor<" not in body


def test_a_department_handler_sees_only_the_department_ranking(march, login, city):
    client = login(city["department_handler"])
    body = client.get(rank_url("department")).content.decode()
    assert city.sanitation.name in body and city.roads.name not in body
    assert client.get(rank_url("region")).status_code == 403
    assert client.get(reverse("evaluation:measures")).status_code == 403


def test_people_without_an_evaluation_role_are_refused(march, login, city):
    for name in ("nobody", "officer", "assistant"):
        client = login(city[name])
        assert client.get(rank_url("region")).status_code == 403, name
        assert client.get(reverse("evaluation:assessment")).status_code == 403, name


def test_a_bad_period_is_reported_and_the_current_month_shown(march, login, city):
    response = login(city["leader"]).get(reverse("evaluation:rank", args=["region"]) + "?period=2026-13")
    assert response.status_code == 200
    assert "2026-13" in response.content.decode()  # named in the error message


def test_an_unknown_party_is_a_404(login, city):
    assert login(city["leader"]).get(reverse("evaluation:rank", args=["mayor"])).status_code == 404


def test_the_trend_ends_with_the_period_totals(march, city):
    from chengguan.evaluation.access import Viewer
    from chengguan.evaluation.periods import parse_period
    from chengguan.evaluation.reports import party_report, party_trend

    for party in ("department", "region", "supervisor"):
        for period in ("2026-03", "2026-W11", "2026-Q1", "2026", "2026-03-10", "2026-03-01..2026-03-31"):
            p = parse_period(period)
            trend = party_trend(party, p, Viewer(None), n=3)
            totals = party_report(party, p, Viewer(None)).totals
            assert trend["periods"][-1] == p.code
            for (_label, values), key in zip(trend["series"], PARTY_TREND[party], strict=True):
                assert values[-1] == totals[key], (party, period, key)


PARTY_TREND = {
    "department": ("handle_rate", "handle_on_time_rate", "close_rate", "rework_rate"),
    "region": ("close_rate", "close_on_time_rate", "discovery_rate", "rectification_rate"),
    "supervisor": ("valid_rate", "verify_on_time_rate", "check_on_time_rate"),
}


@pytest.mark.parametrize(
    "name, limit, first",
    [
        ("evaluation:measures", 18, 27),
        ("evaluation:assessment", 32, 49),  # two rankings (streets, departments), +1 each for the stored days
        ("evaluation:notices", 8, 8),
        ("evaluation:cases", 8, 8),
    ],
)
def test_page_query_counts_are_pinned(march, login, city, name, limit, first, django_assert_max_num_queries):
    client = login(city["leader"])
    with django_assert_max_num_queries(first):  # the first view stores the month's closed days
        assert client.get(reverse(name) + "?period=2026-03").status_code == 200
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(name) + "?period=2026-03").status_code == 200


def test_outsiders_get_404_for_other_districts_grids_and_cases(march, login, city, grids):
    client = login(city["outsider"])
    grid = grids["410202001001006"]
    assert client.get(reverse("evaluation:grid", args=[grid.pk])).status_code == 404
    assert client.get(reverse("evaluation:cases") + f"?region={city.district_a.pk}").status_code == 404
    body = client.get(reverse("evaluation:cases") + "?period=2026-03").content.decode()
    assert march["district_b"].number in body and march["clean"].number not in body
