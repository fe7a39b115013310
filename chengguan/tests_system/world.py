"""A city inside a separate database, built by a subprocess for the process-level proofs (races, crashes).

`python -c "import django; django.setup(); from chengguan.tests_system.world import setup; setup(OUT)"` with
CHENGGUAN_DATABASE_URL pointing at a fresh database writes a JSON description (ids, tokens) to OUT.
"""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def make_city():
    from chengguan.conftest import city
    from chengguan.grids.testing import make_grids

    c = city.__wrapped__(None)  # the shared `city` fixture's body: the same personas as every test
    make_grids(c)
    return c


def setup(out_path: str, *, overdue: int = 0, race_rounds: int = 3) -> dict:
    import time_machine
    from django.utils import timezone

    from chengguan.enforcement.models import EnforcementBody
    from chengguan.enforcement.services import case_register_clue
    from chengguan.org.services import token_create

    from . import scenario

    c = make_city()
    EnforcementBody.objects.create(department=c.bureau, name="开封市城市管理局", short_name="汴城管",
                                   review_authority="开封市人民政府", court="开封市龙亭区人民法院")
    world = {"filed": [], "reported": [], "clues": [], "overdue": [], "tokens": {}}
    for _ in range(race_rounds):
        case = scenario.report(c)
        from chengguan.cases.services import case_act

        world["reported"].append(case.pk)
        filed = scenario.report(c)
        filed = case_act(actor=c["operator"], case=filed, action="accept")
        from chengguan.catalog.models import FilingCondition

        cond = FilingCondition.objects.filter(matter=filed.matter, is_active=True).order_by("pk").first()
        filed = case_act(actor=c["shift_leader"], case=filed, action="file",
                         **({"filing_condition_id": cond.pk} if cond else {}))
        world["filed"].append(filed.pk)
        clue = case_register_clue(actor=c["officer"], region=c.community_a1, department=c.brigade_a,
                                  source="patrol", title="擅自占用城市道路")
        world["clues"].append(clue.pk)
    if overdue:
        # reported a month ago: every step is past its deadline and past escalation by now
        with time_machine.travel(timezone.now() - timedelta(days=30), tick=True):
            for i in range(overdue):
                world["overdue"].append(scenario.report(c, description=f"逾期{i}").pk)
    for name in ("supervisor", "operator", "dispatcher"):
        world["tokens"][name] = token_create(user=c[name])[1]
    world["users"] = {name: user.pk for name, user in c.users.items()}
    world["departments"] = {"sanitation": c.sanitation.pk, "roads": c.roads.pk}
    with open(out_path, "w") as fh:
        json.dump(world, fh)
    return world


def integrity() -> dict:
    """Invariants that must hold after any crash: every case has its report event and a unique number;
    the audit chain verifies."""
    from django.db.models import Count

    from chengguan.cases.models import Case, CaseEvent
    from chengguan.enforcement.audit import audit_verify

    no_event = Case.objects.annotate(n=Count("events")).filter(n=0).count()
    dup_numbers = Case.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "cases_without_events": no_event,
        "duplicate_numbers": dup_numbers,
        "audit_ok": audit_verify().ok,
        "now": datetime.now(TZ).isoformat(),
    }
