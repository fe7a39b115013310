"""Excel export of any evaluation table through the platform's one export layer (`chengguan.core.office.xlsx`):
title block, bold frozen header with an auto-filter, the rows, the totals; "—" for no value; rates as percent."""

import io

from chengguan.core.office.xlsx import Book, Col

from .tables import DASH, Table

KINDS = {"int": "int", "pct": "pct", "score": "number"}


def _plain(value, kind):
    if value is None:
        return DASH
    if kind == "text" and not isinstance(value, str):
        return str(value)  # lazy translations and other objects
    return value


def write_table(book: Book, table: Table) -> None:
    columns = [Col(column.label, KINDS.get(column.fmt, "text")) for column in table.columns]
    filters = [("", str(table.note))] if table.note else ()
    sheet = book.sheet(name=str(table.title), title=str(table.title), columns=columns, filters=filters)
    for row in table.rows:
        sheet.append([_plain(row.get(c.key), col.kind) for c, col in zip(table.columns, columns, strict=True)])
    if table.footer:
        sheet.append(
            [_plain(table.footer[c.key], col.kind) if c.key in table.footer else None
             for c, col in zip(table.columns, columns, strict=True)]
        )  # fmt: skip


def workbook_bytes(*tables: Table, user=None) -> bytes:
    buf = io.BytesIO()
    book = Book(user=user, file=buf)
    for table in tables:
        write_table(book, table)
    return book.close().getvalue()


def xlsx_response(filename: str, *tables: Table, user=None):
    book = Book(user=user)
    for table in tables:
        write_table(book, table)
    return book.response(filename)
