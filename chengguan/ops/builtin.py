"""The jobs that used to need cron (`chengguan tick`, `chengguan webhooks deliver`) plus the nightly facts
check and scheduled backups. Each is called by the worker with no arguments and returns a one-line summary."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

log = logging.getLogger("chengguan.ops.jobs")


def tick() -> str:
    """What `chengguan tick` does: every app's tick.py (cases sweeper, evaluation notices, public webhooks)."""
    from chengguan.cases.management.commands.tick import tick_runners

    out = io.StringIO()
    now = timezone.now()
    for _app, run in tick_runners():
        run(now=now, stdout=out)
        out.write("; ")
    return out.getvalue().strip("; \n")


def webhooks() -> str:
    """What `chengguan webhooks deliver` does, more often than the minute tick."""
    from chengguan.public.services import webhooks as hooks

    now = timezone.now()
    queued = hooks.catch_up(now=now)
    summary = hooks.deliver_due(now=now)
    return (
        f"webhooks: {queued} re-queued, {summary['delivered']} delivered, {summary['retrying']} to retry, "
        f"{summary['failed']} given up"
    )


def facts_check(days: int = 2) -> str:
    """Nightly: recompute the evaluation facts of every case with events in the last `days` days from its
    events and say how many rows had drifted from the incremental updates (they are repaired)."""
    from chengguan.cases.models import CaseEvent
    from chengguan.evaluation.facts import facts_refresh_cases
    from chengguan.evaluation.models import CaseFact

    since = timezone.now() - timedelta(days=days)
    ids = sorted(set(CaseEvent.objects.filter(at__gte=since).values_list("case_id", flat=True)))
    fields = [f.attname for f in CaseFact._meta.concrete_fields if f.attname != "id"]
    before = {row["case_id"]: row for row in CaseFact.objects.filter(case_id__in=ids).values(*fields)}
    facts_refresh_cases(ids)
    after = {row["case_id"]: row for row in CaseFact.objects.filter(case_id__in=ids).values(*fields)}
    drifted = sorted(cid for cid in ids if before.get(cid) != after.get(cid))
    if drifted:
        log.warning("facts check: %s of %s cases had drifted and were repaired: %s", len(drifted), len(ids),
                    drifted[:50])
    return f"facts check: {len(ids)} cases checked, {len(drifted)} drifted (repaired)"


def backup() -> str:
    """A backup into CHENGGUAN_BACKUP_DIR, keeping the newest CHENGGUAN_BACKUP_KEEP archives."""
    from chengguan.core.backup import create_backup, default_name

    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    result = create_backup(directory / default_name())
    archives = sorted(directory.glob("chengguan-backup-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = 0
    for old in archives[settings.BACKUP_KEEP :]:
        old.unlink()
        removed += 1
    return f"backup {result.path.name}: {result.rows} rows, {result.files} media files; {removed} old removed"
