"""`chengguan webhooks deliver`: send due webhook deliveries (run it every few seconds, or `--every 10`).

Each pass first re-queues status changes the signal missed, then sends what is due. Two passes at once (two
cron jobs, two hosts) split the work: rows are claimed with a compare-and-set, never sent twice per attempt.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chengguan.public.models import WebhookDelivery
from chengguan.public.services import webhooks


class Command(BaseCommand):
    help = "Webhooks: deliver due deliveries (with retries), list recent ones, retry a failed one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        deliver = sub.add_parser("deliver", help="send due deliveries once (or repeatedly with --every)")
        deliver.add_argument("--every", type=float, default=0, help="repeat every N seconds until stopped")
        deliver.add_argument("--batch", type=int, default=100)
        listing = sub.add_parser("list", help="recent deliveries")
        listing.add_argument("--status", choices=WebhookDelivery.Status.values)
        listing.add_argument("--limit", type=int, default=20)
        retry = sub.add_parser("retry", help="send a failed delivery again")
        retry.add_argument("delivery_id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _deliver(self, *, every, batch, **options):
        while True:
            started = time.monotonic()
            now = timezone.now()
            queued = webhooks.catch_up(now=now)
            summary = webhooks.deliver_due(now=now, batch=batch)
            self.stdout.write(
                f"webhooks: {queued} re-queued, {summary['delivered']} delivered, {summary['retrying']} to retry, "
                f"{summary['failed']} given up, {summary['deferred']} deferred (receiver failing), "
                f"{summary['skipped']} taken by another sender"
            )
            if not every:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    def _list(self, *, status, limit, **options):
        qs = WebhookDelivery.objects.select_related("subscriber", "case").order_by("-created_at", "-pk")
        if status:
            qs = qs.filter(status=status)
        for d in qs[:limit]:
            self.stdout.write(
                f"{d.pk:>6} {d.status:<9} {d.case.number:<16} attempts {d.attempts:<2} "
                f"last {d.last_status_code or d.last_error or '-'}  {d.subscriber.name}"
            )

    def _retry(self, *, delivery_id, **options):
        delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
        if delivery is None:
            raise CommandError(f"no delivery {delivery_id}")
        if delivery.status != WebhookDelivery.Status.FAILED:
            raise CommandError(f"delivery {delivery_id} is {delivery.status}, not failed")
        webhooks.delivery_retry(delivery=delivery)
        self.stdout.write(f"delivery {delivery_id} queued again")
