"""Hotline systems (12345 / 12319), their work orders, and the signed webhooks that push status changes back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HotlineSystem(models.Model):
    """A hotline platform that sends work orders with its own ids, authenticated as its system user."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. 12345 or 12319"))
    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hotline_system",
        verbose_name=_("system user"),
        help_text=_("the account whose API token the hotline uses"),
    )
    default_matter = models.ForeignKey(
        "catalog.MatterType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("matter for unmapped categories"),
        help_text=_("empty: a work order with an unknown category is refused"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("hotline system")
        verbose_name_plural = _("hotline systems")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class HotlineCategory(models.Model):
    """The hotline's own category code, mapped to our matter type."""

    system = models.ForeignKey(HotlineSystem, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("hotline category code"), max_length=50)
    name = models.CharField(_("hotline category name"), max_length=100, blank=True)
    matter = models.ForeignKey(
        "catalog.MatterType", on_delete=models.PROTECT, related_name="+", verbose_name=_("matter")
    )

    class Meta:
        verbose_name = _("hotline category mapping")
        verbose_name_plural = _("hotline category mappings")
        ordering = ["system", "code"]
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="hotline_category_unique")]

    def __str__(self):
        return f"{self.code} → {self.matter_id}"


class HotlineWorkOrder(models.Model):
    """A work order received from a hotline: its id is the idempotency key (same id → same case)."""

    system = models.ForeignKey(HotlineSystem, on_delete=models.PROTECT, related_name="work_orders")
    external_id = models.CharField(_("hotline work order id"), max_length=64)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="hotline_work_order", verbose_name=_("case")
    )
    category = models.CharField(_("hotline category"), max_length=50, blank=True)
    category_mapped = models.BooleanField(_("category mapped"), default=True)
    received_at = models.DateTimeField(_("received at"))
    resend_count = models.PositiveIntegerField(_("times received again"), default=0)
    last_received_at = models.DateTimeField(_("last received at"))

    class Meta:
        verbose_name = _("hotline work order")
        verbose_name_plural = _("hotline work orders")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["system", "external_id"], name="hotline_work_order_unique")
        ]

    def __str__(self):
        return f"{self.system.code}:{self.external_id}"


class WebhookSubscriber(models.Model):
    """An HTTPS endpoint told about every status change of a hotline's cases, signed with its own secret."""

    system = models.ForeignKey(HotlineSystem, on_delete=models.CASCADE, related_name="subscribers")
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")
        ordering = ["system", "name"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscriber. The body is fixed when queued; each attempt signs it afresh.

    A sender claims a due row with a compare-and-set on (`status`, `attempts`), so two senders never send
    the same attempt; a claim older than the stale limit is taken over (the sender died)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery", "pending")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed (given up)")

    subscriber = models.ForeignKey(WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("cases.CaseEvent", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(pgettext_lazy("message", "body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # attempts made before the last manual retry: the backoff and the give-up limit count from here
    attempts_base = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["subscriber", "event"], name="webhook_delivery_once")]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=models.Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.subscriber_id}/{self.event_id} {self.status}"


class WebhookAttempt(models.Model):
    """The delivery log: one row per HTTP attempt."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField(_("attempt"))
    at = models.DateTimeField(_("time"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_number_unique")
        ]

    def __str__(self):
        return f"{self.delivery_id}#{self.number} {self.status_code or self.error}"
