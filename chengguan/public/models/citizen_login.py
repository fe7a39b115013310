"""The citizen's side without an account: one-time SMS codes for "我的上报", the dev/test outbox of messages,
and the link from a "still not fixed" report to the closed case it reopens."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneCode(models.Model):
    """A one-time code sent to a phone; only keyed hashes are kept (never the phone or the code in clear)."""

    phone_key = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["phone_key", "-created_at"], name="public_code_phone_idx")]

    def __str__(self):
        return f"code {self.pk} until {self.expires_at:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """What the dev/test channel "sent": the demo and the tests read messages here instead of a phone."""

    kind = models.CharField(_("kind"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    user_id = models.IntegerField(_("user"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=32, blank=True)
    text = models.TextField(_("text"))
    channel = models.CharField(_("channel"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message (test channel)")
        verbose_name_plural = _("messages (test channel)")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.kind} {self.case_number}".strip()


class Reopening(models.Model):
    """A citizen said "还没修好" within the reopening window: `new_case` is a new report linked to `original`."""

    original = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="reopenings", verbose_name=_("closed case")
    )
    new_case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="reopened_from", verbose_name=_("new report")
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")

    def __str__(self):
        return f"{self.original_id} → {self.new_case_id}"
