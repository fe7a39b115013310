"""The public app's part of `chengguan tick`: webhook deliveries (catch-up + due sends), old rate counters."""

from .services import webhooks
from .services.ratelimit import purge


def run(*, now, stdout) -> dict:
    queued = webhooks.catch_up(now=now)
    summary = webhooks.deliver_due(now=now)
    purged = purge(now=now)
    stdout.write(
        f"public: webhooks {queued} re-queued, {summary['delivered']} delivered, {summary['retrying']} to retry, "
        f"{summary['failed']} given up; {purged} old rate counters purged"
    )
    return {**summary, "queued": queued, "purged": purged}
