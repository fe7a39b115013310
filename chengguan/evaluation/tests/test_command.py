"""`chengguan evaluate --period ... --party ... --format json|xlsx` and its errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from .scenario import build_march


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def test_it_prints_a_ranking_as_json(march, city):
    out = io.StringIO()
    call_command("evaluate", "--period", "2026-03", "--party", "supervisor", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["party"], body["period"]) == ("supervisor", "2026-03")
    rows = {r["name"]: r for r in body["rows"]}
    assert rows[str(city["supervisor"])]["valid_rate"] == 75.0
    assert rows[str(city["outsider"])]["verify_on_time_rate"] is None


def test_it_writes_region_levels_to_xlsx(march, city, tmp_path):
    target = tmp_path / "streets.xlsx"
    call_command(
        "evaluate",
        "--period",
        "2026-03",
        "--party",
        "region",
        "--level",
        "street",
        "--format",
        "xlsx",
        "--output",
        str(target),
        stdout=io.StringIO(),
    )
    ws = load_workbook(target).active
    names = [ws.cell(row=r, column=2).value for r in range(6, ws.max_row + 1)]
    assert city.street_a.name in names and city.street_b.name in names


def test_a_bad_period_is_a_command_error(db):
    with pytest.raises(CommandError, match="period"):
        call_command("evaluate", "--period", "2026-14", stdout=io.StringIO())
