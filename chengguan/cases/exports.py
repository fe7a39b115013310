"""Excel export of a case list (what offices open and print).

Personal data (PIPL): the reporter's name and phone are masked for everyone, whatever their role; a file leaves
the system and its readers are not logged, so the full values are only ever shown through a logged reveal."""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from chengguan.core.privacy import masked_reporter

MAX_ROWS = 100_000
COLUMNS = [
    ("number", _("case number")),
    ("source", _("source")),
    ("matter", _("matter")),
    ("severity", _("severity")),
    ("state", _("state")),
    ("district", _("district")),
    ("community", _("community")),
    ("address", _("address")),
    ("description", _("description")),
    ("department", _("department")),
    ("reported_at", _("reported at")),
    ("deadline", _("step deadline")),
    ("closed_at", _("closed at")),
    ("reporter_name", _("reporter name")),
    ("reporter_phone", _("reporter phone")),
]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def case_row(case) -> list:
    reporter = masked_reporter(case)
    return [
        case.number,
        case.get_source_display(),
        f"{case.matter.code} {case.matter.name}",
        case.get_severity_display(),
        str(case.state_label),
        case.district.name,
        case.community.name,
        case.address,
        case.description,
        case.current_department.name if case.current_department_id else "",
        _local(case.reported_at),
        _local(case.deadline),
        _local(case.closed_at),
        reporter["name"],
        reporter["phone"],
    ]


def cases_xlsx_response(qs) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("cases"))
    ws.append([str(label) for _key, label in COLUMNS])
    for case in qs[:MAX_ROWS].iterator(chunk_size=2000):
        ws.append(case_row(case))
    buffer = BytesIO()
    wb.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response
