"""/healthz's worker key: the newest heartbeat of any `chengguan worker` (null when none ever ran)."""

from .runner import last_heartbeat


def status() -> dict:
    return {"worker": last_heartbeat()}
