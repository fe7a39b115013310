"""Monthly statistics: reported, filed, closed by district and major class, the closure rate, satisfaction;
CSV download; links to the enforcement disclosure pages."""

import pytest
from django.test import Client

from chengguan.cases.services import case_act
from chengguan.public.services.citizen import citizen_report, satisfaction_record

from .conftest import POINT_A, POINT_B, close_case


@pytest.fixture
def month_of_cases(city, grids, garbage, frozen):
    def new(point, phone):
        return citizen_report(
            matter=garbage, lng=point[0], lat=point[1], crs="gcj02", description="x", phone=phone
        )

    closed_a = close_case(city, new(POINT_A, "13800000001"))
    satisfaction_record(actor=None, case=closed_a, score="unsatisfied")
    open_a = new(POINT_A, "13800000002")
    case_act(actor=city["operator"], case=open_a, action="accept")
    filed_b = new(POINT_B, "13800000003")
    case_act(actor=city["operator"], case=filed_b, action="accept")
    from chengguan.catalog.models import FilingCondition

    condition = FilingCondition.objects.filter(matter=garbage, is_active=True).order_by("pk").first()
    case_act(
        actor=city["shift_leader"],
        case=filed_b,
        action="file",
        filing_condition_id=condition.pk if condition else None,
    )
    return closed_a, open_a, filed_b


def test_it_counts_the_month_by_district_and_class(client, month_of_cases):
    response = client.get("/p/stats/", {"month": "2026-03"})
    assert response.status_code == 200
    stats = response.context["stats"]
    by_district = {r.label: (r.reported, r.filed, r.closed, r.closure_rate) for r in stats["by_district"]}
    assert by_district == {"龙亭区": (2, 1, 1, 100.0), "顺河回族区": (1, 1, 0, 0.0)}
    assert [(r.label, r.reported, r.closure_rate) for r in stats["by_class"]] == [("市容环境类", 3, 50.0)]
    assert stats["total"].closure_rate == 50.0
    assert stats["ratings"] == 1 and stats["satisfaction_rate"] == 0.0
    assert client.get("/p/stats/", {"month": "2026-02"}).context["stats"]["total"].reported == 0


def test_it_downloads_the_month_as_csv(client, month_of_cases):
    response = client.get("/p/stats.csv", {"month": "2026-03"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2026-03.csv"'
    assert "龙亭区,2,1,1,100.0" in text and "市容环境类,3,2,1,50.0" in text


def test_it_never_shows_a_future_month_and_survives_nonsense(client, month_of_cases, frozen):
    assert client.get("/p/stats/", {"month": "2030-01"}).context["month"].isoformat() == "2026-03-01"
    assert client.get("/p/stats/", {"month": "banana"}).status_code == 200
    assert client.get("/p/stats/", {"month": "2026-13"}).status_code == 200


def test_it_links_the_enforcement_disclosure_pages(db):
    html = Client().get("/p/stats/").content.decode()
    assert 'href="/enforcement/public/powers/"' in html
    assert 'href="/enforcement/public/decisions/"' in html


def test_it_is_public(db):
    assert Client().get("/p/stats/").status_code == 200
    assert Client().get("/p/stats.csv").status_code == 200
