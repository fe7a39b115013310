"""Enforcement vehicles and equipment (执法车辆、执法记录仪、取证器材) assigned to squads; vehicle track points
(idempotent per point, like the patrol phones' tracks); body-camera files attached to enforcement cases as
evidence (the enforcement app's evidence row keeps the file and its SHA-256 in the hash-chained record)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Asset(models.Model):
    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("enforcement vehicle")
        BODY_CAMERA = "body_camera", _("body camera")
        EVIDENCE_KIT = "evidence_kit", _("evidence-gathering equipment")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("in service")
        MAINTENANCE = "maintenance", _("under maintenance")
        RETIRED = "retired", _("retired")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    code = models.CharField(_("asset number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    squad = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("squad"),
        help_text=_("The brigade or team the asset is assigned to."),
    )
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("keeper"),
    )
    plate = models.CharField(_("plate number"), max_length=16, blank=True)
    device_id = models.CharField(
        _("device id"), max_length=40, blank=True, help_text=_("Serial number of a body camera or terminal.")
    )
    model = models.CharField(_("make and model"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_SERVICE)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["device_id"], condition=~models.Q(device_id=""), name="asset_device_id"),
            models.UniqueConstraint(fields=["plate"], condition=~models.Q(plate=""), name="asset_plate"),
        ]

    def __str__(self):
        return f"{self.name} ({self.plate or self.device_id or self.code})"


class VehiclePoint(models.Model):
    """One position of a vehicle (GCJ-02), sent by its terminal or a crew member's phone; `client_id` makes
    uploads idempotent per point."""

    vehicle = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="points", verbose_name=_("vehicle"))
    client_id = models.CharField(_("client point id"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))
    received_at = models.DateTimeField(_("received at"))
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    speed_kmh = models.FloatField(_("speed (km/h)"), null=True, blank=True)
    unit_grid = models.ForeignKey(
        "grids.UnitGrid", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("unit grid"),
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("vehicle position")
        verbose_name_plural = _("vehicle positions")
        ordering = ["vehicle", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["vehicle", "client_id"], name="vehicle_point_idempotent")]
        indexes = [models.Index(fields=["vehicle", "recorded_at"]), models.Index(fields=["recorded_at"])]

    def __str__(self):
        return f"{self.vehicle_id}@{self.recorded_at:%Y-%m-%d %H:%M:%S}"


class BodyCameraFile(models.Model):
    """A body-camera recording attached to an enforcement case: the evidence row (file, SHA-256, the
    hash-chained record) belongs to the enforcement app; this row says which device recorded it."""

    case = models.ForeignKey(
        "enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    evidence = models.OneToOneField(
        "enforcement.Evidence", on_delete=models.CASCADE, related_name="+", verbose_name=_("evidence")
    )
    camera = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="files", verbose_name=_("body camera"))
    device_id = models.CharField(_("device id"), max_length=40)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("body-camera file")
        verbose_name_plural = _("body-camera files")
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.device_id} {self.sha256[:12]}"
