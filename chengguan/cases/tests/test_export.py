"""The case Excel export through the one export layer: the title block with the filters, export time and user;
a bold frozen header with an auto-filter; the step times, time limit, overdue flag and hours overdue as typed
cells; Chinese sheet name."""

from datetime import datetime, timedelta
from io import BytesIO

import time_machine
from openpyxl import load_workbook

from ..workflow import State
from .conftest import T0


def test_it_exports_step_times_limits_and_overdue_hours(walk, login, city):
    closed = walk.to(State.CLOSED)
    late = walk.to(State.DISPATCHED)
    user = city["shift_leader"]
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        response = login(user).get("/cases/export.xlsx", {"district_id": city.district_a.pk})
    wb = load_workbook(BytesIO(response.getvalue()))
    ws = wb.active
    assert ws.title == "案件列表" and ws["A1"].value == "案件列表" and ws["A1"].font.b
    assert f"区县：{city.district_a.name}" in ws["A2"].value
    assert "导出时间：2026-04-09" in ws["A3"].value and user.get_username() in ws["A3"].value
    header = [c.value for c in ws[5]]
    assert ws["A5"].font.b and ws.freeze_panes == "A6" and ws.auto_filter.ref == f"A5:X{ws.max_row}"
    rows = {r[0].value: {h: c for h, c in zip(header, r, strict=False)} for r in ws.iter_rows(min_row=6)}
    done = rows[closed.number]
    for step in ("受理时间", "立案时间", "派遣时间", "处置时间", "核查时间", "结案时间"):
        cell = done[step]
        assert isinstance(cell.value, datetime) and cell.is_date and cell.value.microsecond == 0, step
        assert cell.number_format == "yyyy-mm-dd hh:mm", step
    assert done["已超时"].value == "否" and done["超期小时数"].value is None
    open_late = rows[late.number]
    assert open_late["已超时"].value == "是" and open_late["超期小时数"].value > 24 * 20
    assert open_late["超期小时数"].data_type == "n" and open_late["时限"].value  # e.g. "2 工作日"
    assert open_late["环节时限"].is_date and open_late["结案时间"].value is None
    assert ws.column_dimensions["J"].width >= 20  # the description column is wide (CJK-fitted or fixed)
