from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chengguan import __version__
from chengguan.core.navigation import is_staff_user, menu_for, work_items


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    database = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    from chengguan.core.calendar_service import calendar_status

    calendar = calendar_status()
    return JsonResponse(
        {
            "status": "ok",
            "database": database,
            "version": __version__,
            # next year's holiday arrangement: "chinesecalendar" / "entered" / "fallback" (deadlines provisional)
            "calendar_next_year": {"year": calendar["year"], "source": calendar["source"]},
        }
    )


@login_required
def home(request):
    """The user's own work: each queue with its count, the next items to do, then the other pages."""
    menu = menu_for(request.user)
    context = {
        "queues": [e for e in menu if e["count"] is not None],
        "links": [e for e in menu if e["count"] is None],
        "items": work_items(request.user),
    }
    return render(request, "core/home.html", context)


@login_required
def nav_counts(request):
    """The staff menu with fresh counts (polled by the page every 30 s)."""
    menu = menu_for(request.user) if is_staff_user(request.user) else []
    return render(request, "core/_staffnav.html", {"menu": menu})
