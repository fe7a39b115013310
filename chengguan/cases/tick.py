"""The case loop's part of `chengguan tick`: urge overdue steps, escalate long-overdue ones."""

from .services.sweeper import sweep


def run(*, now, stdout) -> dict:
    result = sweep(now=now)
    stdout.write(f"cases: {result['urged']} urged, {result['escalated']} escalated")
    return result
