"""Racer processes (multiprocessing, spawn): each sets Django up against the race database, waits at a
barrier shared with the others, performs its job through the real services, and reports the outcome."""

import os
import traceback


def _outcome(fn):
    from chengguan.core.errors import DomainError

    try:
        result = fn()
        return {"ok": True, "state": getattr(result, "state", None)}
    except DomainError as exc:
        return {"ok": False, "error": type(exc).__name__, "status": exc.status, "code": exc.code,
                "detail": exc.message}
    except Exception as exc:  # noqa: BLE001 - an unexpected failure is the finding
        return {"ok": False, "error": type(exc).__name__, "status": 500, "code": "crash",
                "detail": "".join(traceback.format_exception_only(exc)).strip()}


def run_job(job):
    from django.db import connections

    from chengguan.org.models import User

    kind, case_id, username, action, params = job
    actor = User.objects.get(username=username)
    if kind == "case":
        from chengguan.cases.models import Case
        from chengguan.cases.services import case_act

        case = Case.objects.get(pk=case_id)  # read before the barrier would be stale; read now, act at once
        result = _outcome(lambda: case_act(actor=actor, case=case, action=action, **params))
    else:
        from chengguan.enforcement.models import EnforcementCase
        from chengguan.enforcement.services import case_act

        params = dict(params)
        if "co_officer" in params:
            params["co_officer"] = str(User.objects.get(username=params["co_officer"]).pk)
        case = EnforcementCase.objects.get(pk=case_id)
        result = _outcome(lambda: case_act(actor=actor, case=case, act=action, data=params))
    connections.close_all()
    return result


def racer(env: dict, jobs: list, barrier, results, index: int):
    os.environ.update(env)
    import django

    django.setup()
    for round_no, job in enumerate(jobs):
        barrier.wait(timeout=120)
        results.put((round_no, index, run_job(job)))
