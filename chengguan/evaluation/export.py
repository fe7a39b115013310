"""Excel export of any table (openpyxl): a title row, the header, the rows, the totals; "—" for no value."""

import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .tables import DASH, Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pct": '0.00"%"', "score": "0.00", "int": "#,##0"}
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


def _plain(value):
    if value is None:
        return DASH
    if isinstance(value, bool | int | float | Decimal | date | str):
        return value
    return str(value)  # lazy translations and other objects


def _cell(ws, row, col, value, fmt):
    cell = ws.cell(row=row, column=col, value=_plain(value))
    if value is None:
        cell.alignment = Alignment(horizontal="center")
    elif fmt in FORMATS and isinstance(value, int | float):
        cell.number_format = FORMATS[fmt]
    return cell


def write_sheet(ws, table: Table) -> None:
    ws.title = (str(table.id) or "sheet")[:31]
    ws.cell(row=1, column=1, value=str(table.title)).font = Font(bold=True, size=13)
    if table.note:
        ws.cell(row=2, column=1, value=str(table.note))
    header_row = 3
    for col, column in enumerate(table.columns, 1):
        cell = ws.cell(row=header_row, column=col, value=str(column.label))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(str(column.label)) * 2 + 2))
    r = header_row
    for row in table.rows:
        r += 1
        for col, column in enumerate(table.columns, 1):
            _cell(ws, r, col, row.get(column.key), column.fmt)
    if table.footer:
        r += 1
        for col, column in enumerate(table.columns, 1):
            if column.key in table.footer:
                value = table.footer[column.key]
                _cell(ws, r, col, str(value) if column.fmt == "text" else value, column.fmt).font = Font(
                    bold=True
                )
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3 if len(table.columns) > 2 else 1)


def workbook_bytes(*tables: Table) -> bytes:
    wb = Workbook()
    for i, table in enumerate(tables):
        ws = wb.active if i == 0 else wb.create_sheet()
        write_sheet(ws, table)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, *tables: Table) -> HttpResponse:
    response = HttpResponse(workbook_bytes(*tables), content_type=XLSX)
    safe = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe}.xlsx"'
    return response
