import importlib

from django.conf import settings
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
    return render(request, "core/home.html", {"menu": menu_for(request.user)})
