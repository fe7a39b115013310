"""The platform's own scheduled jobs (run by `chengguan worker`; see docs/operations.md). Other apps declare
theirs in their own jobs.py."""

from django.conf import settings

JOBS = [
    {"name": "tick", "run": "chengguan.ops.builtin:tick", "every_seconds": 60},
    {"name": "public.webhooks", "run": "chengguan.ops.builtin:webhooks", "every_seconds": 10},
    {"name": "evaluation.facts_check", "run": "chengguan.ops.builtin:facts_check", "daily_at": "03:30"},
]

if settings.BACKUP_DIR:
    JOBS.append({"name": "backup", "run": "chengguan.ops.builtin:backup", "daily_at": settings.BACKUP_AT})
