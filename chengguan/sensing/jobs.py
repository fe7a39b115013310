"""Scheduled jobs (run by `chengguan worker`; plain data, no import from the runner)."""

JOBS = [
    {"name": "sensing.offline", "run": "chengguan.sensing.monitor:offline_sweep", "every_seconds": 60},
    {"name": "sensing.rollup", "run": "chengguan.sensing.monitor:rollup_due", "every_seconds": 300},
    {"name": "sensing.check_expiry", "run": "chengguan.sensing.monitor:expire_checks", "every_seconds": 300},
    {"name": "sensing.vendor_requests", "run": "chengguan.sensing.callbacks:send_due", "every_seconds": 30},
]
