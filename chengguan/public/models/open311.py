"""Open311 GeoReport v2: API keys (hash only) and the submissions received through `POST requests`."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """An API key for `POST requests`. Only the SHA-256 of the key is stored; the key is printed once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class Open311Submission(models.Model):
    """One `POST requests`: with lat/long it becomes a case at once; with only an address it waits (with a
    token, see `tokens/{token}`) until an operator places it on the map."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting placement")
        CREATED = "created", _("case created")
        DISCARDED = "discarded", _("discarded")

    key = models.ForeignKey(Open311Key, on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(_("token"), max_length=40, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="open311_submission",
        verbose_name=_("case"),
    )
    matter = models.ForeignKey("catalog.MatterType", on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(_("latitude (WGS84)"), null=True, blank=True)
    long = models.FloatField(_("longitude (WGS84)"), null=True, blank=True)
    address_string = models.CharField(_("address"), max_length=300, blank=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    first_name = models.CharField(_("first name"), max_length=50, blank=True)
    last_name = models.CharField(_("last name"), max_length=50, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)
    discard_reason = models.CharField(_("reason discarded"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["received_at"], name="open311_pending", condition=models.Q(status="pending"))
        ]

    def __str__(self):
        return self.token


class Open311Changeset(models.Model):
    """When the service list last changed (discovery's `changeset`): one row, bumped by catalogue signals."""

    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Open311 changeset")
        verbose_name_plural = _("Open311 changesets")

    def __str__(self):
        return self.changed_at.isoformat()
