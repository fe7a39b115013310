import importlib

from django.conf import settings
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
    body = {"status": "ok", "database": database, "version": __version__}
    body.update(_app_health())
    return JsonResponse(body)


def _app_health() -> dict:
    """Keys added by apps with a `health.py` whose `status()` returns a dict (ops: the worker's heartbeat)."""
    extra: dict = {}
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.health")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.health":
                raise
            continue
        extra.update(module.status())
    return extra


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
    return render(request, "core/_staffnav.html", {"menu": menu, "counted": True})
