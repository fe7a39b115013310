"""The permit document (行政许可决定书) in the GB/T 9704 layout of core/office, numbered in the bureau's 许 series."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chengguan.enforcement.services.cases import body_for

from .models import Application


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def permit_docx(application: Application) -> bytes:
    from chengguan.core.office import docs as office  # python-docx on first use, not when the URLs load (RSS)

    body = body_for(application.department)
    doc = office.new_document()
    office.heading(doc, body.name)
    office.heading(doc, _("Administrative permit decision"))
    office.number_line(doc, application.permit_number)
    office.plain(doc, f"{application.applicant_name}：")
    office.paragraph(doc, _(
        "Your application %(number)s for %(kind)s was accepted on %(accepted)s. Having reviewed it, this authority "
        "grants the permit as follows:") % {
        "number": application.number, "kind": application.get_kind_display(),
        "accepted": _date(timezone.localdate(application.accepted_at))})
    rows = [(_("permit kind"), str(application.get_kind_display())), (_("place"), application.address),
            (_("what is permitted"), application.description)]
    if application.size:
        rows.append((_("size (e.g. 6 m × 1.2 m)"), application.size))
    if application.zone_id:
        rows.append((_("vending zone"), f"{application.zone.name} {application.stall_number}".strip()))
        rows.append((_("opening hours"), f"{application.zone.opens_at:%H:%M}–{application.zone.closes_at:%H:%M}"))
    rows.append((pgettext("permit", "valid"), f"{_date(application.valid_from)}—{_date(application.valid_to)}"))
    office.table(doc, rows)
    office.paragraph(doc, _(
        "Keep to what is permitted. To continue after the end date, apply for renewal thirty days before it "
        "ends. If you disagree with this decision you may apply for administrative review to %(review)s within "
        "sixty days, or sue at %(court)s within six months.") % {
        "review": body.review_authority or "—", "court": body.court or "—"})
    office.signature(doc, body.name, _date(timezone.localdate(application.decided_at)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
