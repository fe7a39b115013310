"""月度分析报告 for leaders: the months of each region in their scope, the kept .docx to open, and "generate now"
for a past month. Leaders and administrators only (403 for other roles); a region outside the leader's own
regions is a 404, as for every other evaluation page."""

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Region
from chengguan.org.scope import region_paths, sees_everything, user_roles

from ..access import ASSESS_ROLES
from ..monthly import blocks, build, storage_name
from ..periods import _shift_month
from .common import page

MONTHS_LISTED = 12


def _regions(user) -> list[Region]:
    if not (sees_everything(user) or user_roles(user) & ASSESS_ROLES):
        raise PermissionDenied(_("The monthly report is for leaders."))
    regions = Region.objects.filter(level__in=("city", "district")).order_by("level", "code")
    if sees_everything(user):
        return list(regions)
    paths = region_paths(user, ASSESS_ROLES)
    return [r for r in regions if any(r.path.startswith(p) for p in paths)]


def _region(user, code: str) -> Region:
    region = next((r for r in _regions(user) if r.code == code), None)
    if region is None:
        raise Http404
    return region


def _past_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError as exc:
        raise Http404 from exc
    today = timezone.localdate()
    if (year, month) >= (today.year, today.month) or year < 2000:
        raise Http404  # only a month that is over has a report
    return year, month


@page
def monthly(request):
    regions = _regions(request.user)
    today = timezone.localdate()
    months = [_shift_month(today.year, today.month, -i) for i in range(1, MONTHS_LISTED + 1)]
    rows = []
    for region in regions:
        cells = [{"code": f"{y}-{m:02d}", "label": f"{y}年{m}月",
                  "kept": default_storage.exists(storage_name(region, y, m))} for y, m in months]  # fmt: skip
        rows.append({"region": region, "months": cells})
    return render(request, "evaluation/monthly.html", {"rows": rows})


@page
def monthly_file(request, code, month):
    region = _region(request.user, code)
    year, m = _past_month(month)
    name = storage_name(region, year, m)
    if not default_storage.exists(name):
        raise Http404
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True,
                        filename=f"{region.name}{year}年{m}月分析报告.docx",
                        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@page
def monthly_generate(request, code, month):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    region = _region(request.user, code)
    year, m = _past_month(month)
    name = storage_name(region, year, m)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(build(region, year, m)))
    messages.success(request, _("The report of %(month)s for %(region)s is ready.")
                     % {"month": f"{year}年{m}月", "region": region.name})  # fmt: skip
    return redirect("evaluation:monthly")


@page
def monthly_page(request, code, month):
    """The report as a page: the same sections, tables and charts as the .docx (monthly.write)."""
    region = _region(request.user, code)
    year, m = _past_month(month)
    context = {"region": region, "label": f"{year}年{m}月", "code": code, "month": month,
               "kept": default_storage.exists(storage_name(region, year, m)), "blocks": blocks(region, year, m)}  # fmt: skip
    return render(request, "evaluation/monthly_report.html", context)
