"""Cameras and sensors, the vendors that push alarms, the rules that decide what an alarm becomes, the alarms,
the automatic checks of camera/sensor cases, and the readings (a monthly-partitioned table on PostgreSQL)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

GB28181_RE = re.compile(r"^\d{20}$")


def validate_gb28181(value: str) -> None:
    if not GB28181_RE.match(value or ""):
        raise ValidationError(_("A GB/T 28181 device id has 20 digits."))


class Vendor(models.Model):
    """An algorithm vendor or sensor platform that pushes alarms/readings over HTTP."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(
        _("secret"), max_length=128, help_text=_("Bearer token and HMAC-SHA256 key of this vendor.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    callback_url = models.URLField(
        _("fresh-analysis URL"), blank=True,
        help_text=_("Asked for a fresh analysis of the camera when a department replies on a camera case."),
    )

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name


class Algorithm(models.Model):
    """A vendor's detection algorithm, mapped to the catalogue's matter."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="algorithms")
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    matter = models.ForeignKey("catalog.MatterType", on_delete=models.PROTECT, verbose_name=_("matter"))
    enforceable = models.BooleanField(
        _("enforceable"), default=False, help_text=_("An officer may turn its alarms into enforcement clues.")
    )

    class Meta:
        verbose_name = _("algorithm")
        verbose_name_plural = _("algorithms")
        constraints = [models.UniqueConstraint(fields=["vendor", "code"], name="sensing_algorithm_code")]

    def __str__(self):
        return self.name


class Device(models.Model):
    """Common to cameras and sensors: where it is (and so whose scope it is in) and whether it is alive."""

    name = models.CharField(_("name"), max_length=100)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    unit_grid = models.ForeignKey("grids.UnitGrid", null=True, blank=True, on_delete=models.SET_NULL)
    community = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner department"),
    )
    is_online = models.BooleanField(_("online"), default=False)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True


class Camera(Device):
    device_id = models.CharField(
        _("GB/T 28181 id"), max_length=20, unique=True, validators=[validate_gb28181]
    )
    direction = models.PositiveSmallIntegerField(_("view direction (°)"), null=True, blank=True)
    live_url = models.URLField(_("live-view URL"), blank=True, help_text=_("HLS, WebRTC or FLV of the gateway."))

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["device_id"]

    def __str__(self):
        return f"{self.name} ({self.device_id})"


class SensorType(models.Model):
    """A kind of monitored component (GB/T 47678.6): unit, normal range, thresholds, debounce, hysteresis."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    normal_min = models.FloatField(_("normal minimum"), null=True, blank=True)
    normal_max = models.FloatField(_("normal maximum"), null=True, blank=True)
    alarm_low = models.FloatField(_("alarm below"), null=True, blank=True)
    alarm_high = models.FloatField(_("alarm above"), null=True, blank=True)
    hysteresis = models.FloatField(
        _("hysteresis"), default=0, help_text=_("A raised alarm clears only this far back inside the threshold.")
    )
    debounce = models.PositiveSmallIntegerField(
        _("debounce (readings)"), default=3, help_text=_("Consecutive readings needed to raise or clear.")
    )
    offline_after_minutes = models.PositiveIntegerField(_("offline after (minutes)"), default=30)
    matter = models.ForeignKey(
        "catalog.MatterType", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("matter")
    )
    opens_case = models.BooleanField(_("alarm opens a case"), default=False)

    class Meta:
        verbose_name = _("sensor type")
        verbose_name_plural = _("sensor types")

    def __str__(self):
        return self.name

    def breaches(self, value: float) -> bool:
        return (self.alarm_high is not None and value > self.alarm_high) or (
            self.alarm_low is not None and value < self.alarm_low
        )

    def clears(self, value: float) -> bool:
        h = self.hysteresis
        return (self.alarm_high is None or value <= self.alarm_high - h) and (
            self.alarm_low is None or value >= self.alarm_low + h
        )


class Sensor(Device):
    device_id = models.CharField(_("device id"), max_length=40, unique=True)
    type = models.ForeignKey(SensorType, on_delete=models.PROTECT, verbose_name=_("type"))
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="sensors", verbose_name=_("vendor"),
        help_text=_("Only this vendor may post the sensor's readings over HTTP."),
    )
    battery = models.PositiveSmallIntegerField(_("battery (%)"), null=True, blank=True)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    in_alarm = models.BooleanField(_("in alarm"), default=False)
    # consecutive readings on the other side of the threshold (the debounce counter)
    streak = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        ordering = ["device_id"]

    def __str__(self):
        return f"{self.name} ({self.device_id})"


class AlarmRule(models.Model):
    """What an AI alarm becomes, per matter, area and time of day; the most specific matching rule wins."""

    class Action(models.TextChoices):
        AUTO_FILE = "auto_file", _("file and dispatch automatically")
        REVIEW = "review", _("operator review")
        IGNORE = "ignore", _("ignore")

    name = models.CharField(_("name"), max_length=100)
    matter = models.ForeignKey(
        "catalog.MatterType", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("matter")
    )
    region = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("area")
    )
    start_hour = models.PositiveSmallIntegerField(_("from hour"), default=0)
    end_hour = models.PositiveSmallIntegerField(_("to hour"), default=24)
    auto_file_confidence = models.FloatField(_("auto-file at confidence ≥"), default=0.9)
    review_confidence = models.FloatField(_("review at confidence ≥"), default=0.5)
    suppress_minutes = models.PositiveIntegerField(_("suppress repeats within (minutes)"), default=60)
    suppress_metres = models.PositiveIntegerField(_("attach to an open case within (m)"), default=30)
    check_window_minutes = models.PositiveIntegerField(_("automatic check window (minutes)"), default=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")

    def __str__(self):
        return self.name


class Alarm(models.Model):
    class Kind(models.TextChoices):
        AI = "ai", _("video AI")
        THRESHOLD = "threshold", _("threshold")
        OFFLINE = "offline", _("offline")

    class Event(models.TextChoices):
        ALARM = "alarm", _("alarm")
        CLEAR = "clear", _("clear")

    class Status(models.TextChoices):
        AUTO_FILED = "auto_filed", _("filed automatically")
        PENDING = "pending", _("awaiting review")
        ACCEPTED = "accepted", _("accepted by operator")
        REJECTED = "rejected", _("rejected (false positive)")
        IGNORED = "ignored", _("ignored")
        SUPPRESSED = "suppressed", _("attached to an open case")
        RAISED = "raised", _("raised")
        CLEARED = "cleared", _("cleared")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    event = models.CharField(_("event"), max_length=5, choices=Event.choices, default=Event.ALARM)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.PROTECT)
    vendor_alarm_id = models.CharField(_("vendor alarm id"), max_length=64, blank=True)
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.PROTECT, related_name="alarms")
    sensor = models.ForeignKey(Sensor, null=True, blank=True, on_delete=models.PROTECT, related_name="alarms")
    algorithm = models.ForeignKey(Algorithm, null=True, blank=True, on_delete=models.PROTECT)
    matter = models.ForeignKey("catalog.MatterType", null=True, blank=True, on_delete=models.PROTECT)
    community = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    received_at = models.DateTimeField(_("received at"))
    boxes = models.JSONField(_("bounding boxes"), default=list, blank=True)
    snapshot = models.FileField(_("snapshot"), upload_to="sensing/%Y/%m/", blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    snapshot_url = models.URLField(_("snapshot URL"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="sensing_alarms"
    )
    clue = models.ForeignKey(
        "enforcement.EnforcementCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey(AlarmRule, null=True, blank=True, on_delete=models.SET_NULL)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "vendor_alarm_id"],
                condition=~models.Q(vendor_alarm_id=""),
                name="sensing_alarm_vendor_id",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def device(self):
        return self.camera or self.sensor


class AutoCheck(models.Model):
    """After a department's reply on a camera/sensor case: waits for the device's clear (pass) or repeat (fail)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for the device")
        PASSED = "passed", _("passed automatically")
        FAILED = "failed", _("sent back for rework")
        EXPIRED = "expired", _("window over, check by hand")
        MOOT = "moot", _("checked by hand")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sensing_checks")
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.CASCADE)
    sensor = models.ForeignKey(Sensor, null=True, blank=True, on_delete=models.CASCADE)
    matter = models.ForeignKey("catalog.MatterType", on_delete=models.PROTECT)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING, db_index=True)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ForeignKey(Alarm, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("automatic check")
        verbose_name_plural = _("automatic checks")

    def __str__(self):
        return f"{self.case_id} {self.status}"


class Reading(models.Model):
    """One sensor value. On PostgreSQL the table is partitioned by month (BRIN on `at`); see migration 0002."""

    pk = models.CompositePrimaryKey("sensor_id", "at")
    sensor_id = models.BigIntegerField()
    at = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        managed = False
        db_table = "sensing_reading"

    def __str__(self):
        return f"{self.sensor_id}@{self.at:%Y-%m-%d %H:%M:%S} {self.value:g}"


class Rollup(models.Model):
    class Period(models.TextChoices):
        HOUR = "hour", _("hour")
        DAY = "day", _("day")

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="rollups")
    period = models.CharField(max_length=4, choices=Period.choices)
    start = models.DateTimeField()
    count = models.PositiveIntegerField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    total = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sensor", "period", "start"], name="sensing_rollup_key")
        ]

    def __str__(self):
        return f"{self.sensor_id} {self.period} {self.start:%Y-%m-%d %H:%M}"

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0


class RollupDue(models.Model):
    """Hours that received readings since their last rollup (the rollup job recomputes them)."""

    hour = models.DateTimeField(unique=True)

    def __str__(self):
        return f"{self.hour:%Y-%m-%d %H:%M}"


class AnalysisRequest(models.Model):
    """A request to the camera's vendor for a fresh analysis after a department's reply (智能核查), POSTed by the
    job `sensing.vendor_requests`, signed like the vendor's own pushes, retried with backoff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to send")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, gave up")

    auto_check = models.ForeignKey(AutoCheck, on_delete=models.CASCADE, related_name="requests")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="+", verbose_name=_("vendor"))
    url = models.URLField(_("URL"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fresh-analysis request")
        verbose_name_plural = _("fresh-analysis requests")

    def __str__(self):
        return f"{self.vendor_id} {self.status}"
