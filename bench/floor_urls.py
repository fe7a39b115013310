"""bench/http_load.py's URLconf: the site's URLs plus `POST /bench/floor`, the floor of a write — one row INSERTed
in one transaction through the same server, middleware and database. Loaded only by bench/floor_settings.py."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

FLOOR_TABLE = "bench_floor"


@csrf_exempt
def floor(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FLOOR_TABLE} (at, body) VALUES (now(), %s) RETURNING id", [request.body[:500].decode()]
        )
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=201)


urlpatterns = [path("bench/floor", floor), path("", include("chengguan.urls"))]
