"""What `chengguan serve` (and `chengguan setup --check`) verify before answering anyone: a real secret,
explicit allowed hosts, a reachable database with every migration applied. Each problem is one readable line."""

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError

DEVELOPMENT_KEYS = {"insecure-development-key-do-not-use-in-production"}


def configuration_problems() -> list[str]:
    problems = []
    if not settings.DEBUG:
        if settings.SECRET_KEY in DEVELOPMENT_KEYS or len(settings.SECRET_KEY) < 32:
            problems.append(
                "CHENGGUAN_SECRET_KEY is too short (fewer than 32 characters) or a known development key: "
                "set a long random one, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        if not settings.ALLOWED_HOSTS:
            problems.append("CHENGGUAN_ALLOWED_HOSTS is empty: list the host names people use, e.g. cg.example.gov.cn")
        elif "*" in settings.ALLOWED_HOSTS:
            problems.append(
                "CHENGGUAN_ALLOWED_HOSTS contains '*': list the real host names (a wildcard lets forged Host "
                "headers into password-reset links and absolute URLs)"
            )
    return problems


def database_problems() -> list[str]:
    from chengguan.cli import database_problem

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        return [database_problem(exc)]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        first = plan[0][0]
        return [
            f"{len(plan)} database migrations are not applied yet (first: {first.app_label}.{first.name}): "
            "run `chengguan setup` (or `chengguan migrate`) first"
        ]
    return []


def startup_problems() -> list[str]:
    return configuration_problems() + database_problems()
