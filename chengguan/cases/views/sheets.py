"""The case's printable forms as pages (print.css) and PDFs: 案卷单, 派遣单, 延期/挂账审批表.

Whoever may open the case may print its forms; anyone else hears 404, as for the case page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from chengguan.core.errors import DomainError
from chengguan.core.office.sheets import respond

from .. import sheets
from ..selectors import case_for

BUILDERS = {"case": sheets.case_sheet, "dispatch": sheets.dispatch_sheet, "request": sheets.request_sheet}


@login_required
def case_sheet_page(request, pk, kind):
    builder = BUILDERS.get(kind)
    if builder is None:
        raise Http404
    case = case_for(request.user, pk)
    try:
        sheet = builder(case)
    except DomainError as exc:  # no dispatch or request yet: nothing to print
        raise Http404(exc.message) from exc
    fmt = "pdf" if request.GET.get("format") == "pdf" else "html"
    return respond(request, sheet, fmt, back=reverse("cases:detail", args=[case.pk]))
