"""One export layer for every list the platform writes to Excel (XlsxWriter, constant-memory mode).

Every sheet has the same shape, so an office can file and print any export:

    row 1   the list's name (bold, larger)
    row 2   the filters it was taken with
    row 3   export time and the user who exported it
    row 5   the header: bold, shaded, frozen, with an auto-filter over the data
    row 6…  the rows

Cells are typed by their column's kind: text is always written as a string (never a formula, whatever it
starts with; a text beginning with = + - @ tab or CR also gets Excel's quote prefix so that editing the cell
keeps it text), datetimes are real Excel dates in local time without seconds' fractions, percentages are
fractions shown with a % format, integers and decimals are numbers. Column widths are fitted to the header
and the first rows, counting a CJK character as two. Rows are flushed to a temporary file as they are
written (constant memory), so a 500,000-row export stays within a few tens of MB; `bench/exports.py` measures it.

Why XlsxWriter: measured against openpyxl's write-only mode on the same rows (bench/exports.py) it is about
twice as fast and keeps memory flat; both are maintained.
"""

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 4  # zero-based: rows 0–2 are the title block, row 3 is blank
FIT_ROWS = 500  # column widths are fitted on the header and this many rows
MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Col:
    """A column: its label and kind (text, datetime, date, int, number, money, pct, bool, hours)."""

    label: object
    kind: str = "text"
    width: float | None = None  # fixed width in Excel units; None fits it


def display_width(text: str) -> int:
    """Width in Excel character units: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(name: str) -> str:
    cleaned = _BAD_SHEET_CHARS.sub(" ", str(name)).strip("' ") or "Sheet1"
    return cleaned[:31]


def local_naive(value):
    """An aware datetime as the local wall time Excel stores, whole seconds."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    return value


def formula_like(text: str) -> bool:
    return text[:1] in FORMULA_PREFIXES


def csv_safe(value):
    """A text for a CSV file that Excel opens: a leading = + - @ tab or CR is defused with a quote."""
    if not isinstance(value, str):
        return value
    return "'" + value if formula_like(value) else value


def csv_unquote(value):
    """The inverse of `csv_safe`, for files the platform exported and reads back (round trips)."""
    if isinstance(value, str) and value[:1] == "'" and formula_like(value[1:]):
        return value[1:]
    return value


def csv_row(values) -> list:
    """Every text cell of a CSV row made safe (see `csv_safe`)."""
    return [csv_safe(v) for v in values]


class SafeCSVWriter:
    """`csv.writer` whose every text cell goes through `csv_safe`: the one CSV writer of the platform's exports."""

    def __init__(self, file, **kwargs):
        import csv

        self._writer = csv.writer(file, **kwargs)

    def writerow(self, values):
        return self._writer.writerow(csv_row(values))


class Sheet:
    def __init__(self, book: "Book", ws, columns: list[Col]):
        self.book, self.ws, self.columns = book, ws, columns
        self.row = HEADER_ROW
        self.widths = [display_width(str(c.label)) + 2 for c in columns]
        writers = {
            "text": self._text,
            "datetime": self._datetime,
            "date": self._date,
            "int": self._number,
            "number": self._number,
            "money": self._number,
            "hours": self._number,
            "pct": self._pct,
            "bool": self._bool,
        }
        self._writers = [writers[c.kind] for c in columns]
        self._formats = [book.formats.get(c.kind) for c in columns]

    # -- cells --------------------------------------------------------------------------------------------
    def _text(self, r, c, value, fmt):
        text = value if isinstance(value, str) else str(value)
        if formula_like(text):
            self.ws.write_string(r, c, text, self.book.formats["quoted"])
        else:
            self.ws.write_string(r, c, text)
        return text

    def _datetime(self, r, c, value, fmt):
        if isinstance(value, datetime):
            self.ws.write_datetime(r, c, local_naive(value), fmt)
            return "2026-01-01 00:00"
        return self._text(r, c, value, None)

    def _date(self, r, c, value, fmt):
        if isinstance(value, date):
            if isinstance(value, datetime):
                value = local_naive(value).date()
            self.ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt)
            return "2026-01-01"
        return self._text(r, c, value, None)

    def _number(self, r, c, value, fmt):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            self.ws.write_number(r, c, float(value), fmt)
            return f"{value:,.2f}"
        return self._text(r, c, value, None)

    def _pct(self, r, c, value, fmt):
        """`value` is a percentage (95.5 means 95.5 %), as the pages show it."""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            self.ws.write_number(r, c, float(value) / 100, fmt)
            return "100.00%"
        return self._text(r, c, value, None)

    def _bool(self, r, c, value, fmt):
        if isinstance(value, bool):
            return self._text(r, c, self.book.yes if value else self.book.no, None)
        return self._text(r, c, value, None)

    # -- rows ---------------------------------------------------------------------------------------------
    def append(self, values) -> None:
        self.row += 1
        r = self.row
        fit = r <= HEADER_ROW + FIT_ROWS
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            shown = self._writers[c](r, c, value, self._formats[c])
            if fit:
                w = display_width(shown) + 2
                if w > self.widths[c]:
                    self.widths[c] = w

    def extend(self, rows) -> None:
        for row in rows:
            self.append(row)

    def finish(self) -> None:
        ws, last_col = self.ws, len(self.columns) - 1
        for c, col in enumerate(self.columns):
            ws.set_column(c, c, col.width or min(MAX_WIDTH, max(6, self.widths[c])))
        ws.autofilter(HEADER_ROW, 0, max(self.row, HEADER_ROW), last_col)


class Book:
    """A workbook written to a temporary file; `sheet()` adds a sheet, `response()` serves the file."""

    def __init__(self, *, user=None, now=None, file=None):
        from django.utils.translation import gettext as _

        # the response closes it once sent
        self.file = file if file is not None else tempfile.TemporaryFile()  # noqa: SIM115
        self.now = now or timezone.now()
        self.user = user
        self.yes, self.no = _("yes"), _("no")
        self._labels = {"filters": _("Filters"), "none": _("none"), "exported": _("Exported at"),
                        "by": _("by")}  # fmt: skip
        self.wb = xlsxwriter.Workbook(
            self.file,
            {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
             "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd hh:mm"},
        )  # fmt: skip
        add = self.wb.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "meta": add({"font_color": "#555555"}),
            "header": add({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True,
                           "valign": "vcenter"}),  # fmt: skip
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "int": add({"num_format": "#,##0"}),
            "number": add({"num_format": "#,##0.00"}),
            "money": add({"num_format": "#,##0.00"}),
            "hours": add({"num_format": "0.0"}),
            "pct": add({"num_format": "0.00%"}),
            "quoted": add({"quote_prefix": True}),
        }
        self._sheets: list[Sheet] = []
        self._names: set[str] = set()

    def _unique(self, name: str) -> str:
        base, n = sheet_name(name), 1
        while base.lower() in self._names:
            n += 1
            base = f"{sheet_name(name)[:28]}({n})"
        self._names.add(base.lower())
        return base

    def sheet(self, *, name, title, columns: list[Col], filters=()) -> Sheet:
        """A new sheet with the title block and the header written. `filters` is [(label, value)]."""
        ws = self.wb.add_worksheet(self._unique(str(name)))
        f = self.formats
        ws.write_string(0, 0, str(title), f["title"])
        described = "；".join(
            f"{label}：{value}" if label else str(value) for label, value in filters if value not in (None, "")
        )
        ws.write_string(1, 0, f"{self._labels['filters']}：{described or self._labels['none']}", f["meta"])
        who = ""
        if self.user is not None:
            who = f"  {self._labels['by']}：{self.user.get_full_name() or self.user.get_username()}"
        stamp = timezone.localtime(self.now).strftime("%Y-%m-%d %H:%M")
        ws.write_string(2, 0, f"{self._labels['exported']}：{stamp}{who}", f["meta"])
        for c, col in enumerate(columns):
            ws.write_string(HEADER_ROW, c, str(col.label), f["header"])
        ws.freeze_panes(HEADER_ROW + 1, 0)
        ws.set_row(HEADER_ROW, 20)
        ws.repeat_rows(HEADER_ROW)  # printed pages repeat the header
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        sheet = Sheet(self, ws, columns)
        self._sheets.append(sheet)
        return sheet

    def close(self):
        for sheet in self._sheets:
            sheet.finish()
        self.wb.close()
        self.file.seek(0)
        return self.file

    def response(self, filename: str) -> FileResponse:
        """The finished workbook as a download named `filename` (.xlsx added; CJK names allowed)."""
        return FileResponse(self.close(), as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX)
