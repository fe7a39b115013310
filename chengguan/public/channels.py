"""The dev/test notification channel: writes each message to the database (`OutboxMessage`) instead of
sending it, so the demo shows what citizens would receive (`/p/dev/messages/` while DEBUG is on) and tests
read the one-time codes. Put `chengguan.public.channels.OutboxChannel` in `CASES_NOTIFICATION_CHANNELS`
(or `CHENGGUAN_NOTIFICATION_CHANNELS`); with DEBUG on and nothing configured it is on by default."""

from chengguan.cases.channels import Channel, Message

from .models import OutboxMessage


class OutboxChannel(Channel):
    name = "outbox"

    def send(self, message: Message) -> None:
        OutboxMessage.objects.create(
            kind=message.kind[:40],
            phone=message.phone[:20],
            user_id=message.user_id,
            case_number=message.case_number[:32],
            text=message.text,
            channel=self.name,
        )
