"""Admin-facing page: paste the State Council's holiday notice, check what was read, save it (issue 12)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from chengguan.core.calendar_service import calendar_status, enter_arrangement
from chengguan.core.errors import DomainError
from chengguan.core.holiday_notice import parse_notice

PERMISSION = "core.add_calendaryear"


@login_required
def calendar_import(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = {"status": calendar_status(), "text": "", "arrangement": None, "result": None, "error": ""}
    if request.method == "POST":
        text = request.POST.get("text", "")
        context["text"] = text
        try:
            arrangement = parse_notice(text)
            context["arrangement"] = arrangement
            if request.POST.get("step") == "save":
                context["result"] = enter_arrangement(arrangement=arrangement, actor=request.user)
                context["status"] = calendar_status()
        except DomainError as exc:
            context["error"] = exc.message
        status = 422 if context["error"] else 200
        return render(request, "core/calendar_import.html", context, status=status)
    context["title"] = _("Enter the holiday arrangement")
    return render(request, "core/calendar_import.html", context)
