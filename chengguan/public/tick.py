"""The public app's part of `chengguan tick`: webhook deliveries (catch-up + due sends), old rate counters and one-time codes."""

from .services import webhooks
from .services.citizen_side import codes_purge
from .services.ratelimit import purge


def run(*, now, stdout) -> dict:
    queued = webhooks.catch_up(now=now)
    summary = webhooks.deliver_due(now=now)
    purged = purge(now=now)
    codes_purge(now=now)  # one-time codes a day past their expiry
    stdout.write(
        f"public: webhooks {queued} re-queued, {summary['delivered']} delivered, {summary['retrying']} to retry, "
        f"{summary['failed']} given up; {purged} old rate counters purged"
    )
    return {**summary, "queued": queued, "purged": purged}
