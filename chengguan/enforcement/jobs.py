"""Scheduled jobs of the enforcement app (run by `chengguan worker`)."""

JOBS = [
    {"name": "enforcement.deadline_reminders", "run": "chengguan.enforcement.reminders:run", "daily_at": "08:00"},
    # An overdue police reply to a criminal referral: notice to the leaders and the procuratorate copy (检察监督).
    {"name": "enforcement.referral_escalation", "run": "chengguan.enforcement.services.linkage:run_escalations",
     "daily_at": "08:10"},
]
