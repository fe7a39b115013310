"""Printable forms (案卷单, 派遣单, 审批表 …): one `Sheet` shown as a print-styled page and downloaded as a PDF.

A sheet is a title, a number line, rows of (label, value) in a two-column form table, and signature lines. The
page (`core/sheet.html`, print.css) and the .docx/PDF (the GB/T 9704 layer in `docs.py`, converted by
LibreOffice headless, `pdf.py`) are drawn from the same rows, so they cannot disagree.
"""

import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError

from .pdf import docx_to_pdf


@dataclass
class Sheet:
    title: str
    body: str  # the issuing body, printed above the title
    number: str = ""
    rows: list = field(default_factory=list)  # (label, value)
    signatures: list = field(default_factory=list)  # lines under the table
    filename: str = "sheet"

    def docx(self) -> bytes:
        from . import docs as office  # python-docx (+ lxml) on first use, not when the URLs load (worker RSS)

        doc = office.new_document()
        office.heading(doc, self.body, size=16)
        office.heading(doc, self.title)
        if self.number:
            office.number_line(doc, self.number)
        office.table(doc, [(label, str(value) if value not in (None, "") else "—") for label, value in self.rows],
                     label_mm=40)  # fmt: skip
        if self.signatures:
            office.lines(doc, self.signatures)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    def pdf(self) -> bytes:
        return docx_to_pdf(self.docx())


def respond(request, sheet: Sheet, fmt: str = "html", *, back: str = ""):
    """The sheet as a page (fmt "html"), or as a PDF download (fmt "pdf")."""
    if fmt == "pdf":
        try:
            data = sheet.pdf()
        except DomainError as exc:
            return render(request, "core/sheet.html", {"sheet": sheet, "back": back, "error": exc.message},
                          status=503)  # fmt: skip
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{sheet.filename}.pdf"'
        return response
    return render(request, "core/sheet.html", {"sheet": sheet, "back": back, "pdf_label": _("Download PDF")})
