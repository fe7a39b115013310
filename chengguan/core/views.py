from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chengguan import __version__
from chengguan.core.navigation import menu_for


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
    return render(request, "core/home.html", {"menu": menu_for(request.user)})
