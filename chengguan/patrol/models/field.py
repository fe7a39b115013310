"""Work in the field: patrol tracks, joint operations and campaigns (专项整治 / 百日攻坚) with follow-up checks."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class TrackPoint(models.Model):
    """One GPS fix sent by a patrolling person's phone; `client_id` makes uploads idempotent per point."""

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="track_points", verbose_name=_("person")
    )
    client_id = models.CharField(_("client point id"), max_length=64)
    recorded_at = models.DateTimeField(_("recorded at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)
    unit_grid = models.ForeignKey(
        "grids.UnitGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="track_points",
        verbose_name=_("unit grid"),
    )

    class Meta:
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        ordering = ["user", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="track_point_idempotent")]
        indexes = [
            models.Index(fields=["user", "recorded_at"]),
            models.Index(fields=["recorded_at", "unit_grid"]),
        ]

    def __str__(self):
        return f"{self.user} {self.recorded_at:%Y-%m-%d %H:%M:%S}"


class CoverageDay(models.Model):
    """Cached coverage of one responsibility grid on one day (`selectors.tracks.coverage`). Deleted when a track
    point of that day arrives in one of the grid's unit grids; recomputed on the next read. The norm values it
    was computed with are kept, so a changed patrol day or gap makes it stale as well."""

    grid = models.ForeignKey("grids.ResponsibilityGrid", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    total = models.PositiveIntegerField(default=0)
    visited = models.JSONField(default=list)  # unit grid ids
    window_covered_s = models.FloatField(default=0)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    gap_minutes = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("coverage of a day")
        verbose_name_plural = _("coverage of days")
        constraints = [models.UniqueConstraint(fields=["day", "grid"], name="coverage_day_grid")]

    def __str__(self):
        return f"{self.grid_id} {self.day}"


class Campaign(models.Model):
    class Kind(models.TextChoices):
        SPECIAL = "special", _("special rectification")
        HUNDRED_DAYS = "hundred_days", _("hundred-day drive")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.SPECIAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("region")
    )
    area = models.CharField(_("area"), max_length=300, blank=True)
    unit_grids = models.ManyToManyField(
        "grids.UnitGrid", blank=True, related_name="+", verbose_name=_("unit grids")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    description = models.TextField(_("background"), blank=True)
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="campaigns", verbose_name=_("linked cases")
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_period")
        ]

    def __str__(self):
        return self.name


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    matter = models.ForeignKey(
        "catalog.MatterType", on_delete=models.PROTECT, related_name="+", verbose_name=_("matter")
    )
    target_count = models.PositiveIntegerField(_("target"))
    unit = models.CharField(_("counting unit"), max_length=10, blank=True, default="处")

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "matter__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter"], name="campaign_target_unique"),
            models.CheckConstraint(condition=Q(target_count__gt=0), name="campaign_target_positive"),
        ]

    def __str__(self):
        return f"{self.matter} {self.target_count}"


class CampaignPoint(models.Model):
    """A place the campaign targets (重点点位: a market's street, a school gate, a stretch of road), with its
    point in the storage system (GCJ-02) and the unit grid it falls in when it was added."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="points", verbose_name=_("campaign")
    )
    name = models.CharField(_("name of the place"), max_length=100)
    address = models.CharField(_("address"), max_length=255, blank=True)
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    unit_grid = models.ForeignKey(
        "grids.UnitGrid", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("unit grid")
    )
    matter = models.ForeignKey(
        "catalog.MatterType", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("matter")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign point")
        verbose_name_plural = _("campaign points")
        ordering = ["campaign", "pk"]

    def __str__(self):
        return self.name


class JointOperation(models.Model):
    """A joint enforcement action (联合执法行动), planned ahead or started on the spot."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("planned")
        AD_HOC = "ad_hoc", _("ad hoc")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="joint_operations", verbose_name=_("region")
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("campaign"),
    )
    area = models.CharField(_("area"), max_length=300, blank=True)
    unit_grids = models.ManyToManyField(
        "grids.UnitGrid", blank=True, related_name="+", verbose_name=_("unit grids")
    )
    lead_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    bodies = models.ManyToManyField(
        "org.Department", blank=True, related_name="joint_operations", verbose_name=_("participating bodies")
    )
    squads = models.ManyToManyField(
        "patrol.JointSquad", blank=True, related_name="operations", verbose_name=_("squads")
    )
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("staff deployed"), default=0)
    problems_found = models.PositiveIntegerField(_("problems found"), default=0)
    cases_opened = models.PositiveIntegerField(_("cases opened"), default=0)
    penalties = models.PositiveIntegerField(_("penalties"), default=0)
    fines_yuan = models.DecimalField(_("fines (yuan)"), max_digits=12, decimal_places=2, default=0)
    items_seized = models.PositiveIntegerField(_("items seized"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    cases = models.ManyToManyField(
        "cases.Case", blank=True, related_name="joint_operations", verbose_name=_("linked cases")
    )
    enforcement_cases = models.ManyToManyField(
        "enforcement.EnforcementCase",
        blank=True,
        related_name="joint_operations",
        verbose_name=_("enforcement cases"),
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gt=F("planned_start")),
                name="operation_planned_range",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class OperationResult(models.Model):
    """What an operation achieved for one matter, e.g. 30 illegal billboards removed; feeds campaign progress."""

    operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="results", verbose_name=_("operation")
    )
    matter = models.ForeignKey(
        "catalog.MatterType", on_delete=models.PROTECT, related_name="+", verbose_name=_("matter")
    )
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("operation result")
        verbose_name_plural = _("operation results")
        constraints = [
            models.UniqueConstraint(fields=["operation", "matter"], name="operation_result_unique")
        ]

    def __str__(self):
        return f"{self.matter} × {self.count}"


class FollowUpCheck(models.Model):
    """A follow-up check (回头看) after or during a campaign: were fixed places found relapsed?"""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("campaign")
    )
    checked_on = models.DateField(_("checked on"))
    checker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    matter = models.ForeignKey(
        "catalog.MatterType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("matter"),
    )
    unit_grid = models.ForeignKey(
        "grids.UnitGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit grid"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    places_checked = models.PositiveIntegerField(_("places checked"))
    relapses = models.PositiveIntegerField(_("relapses found"), default=0)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("follow-up check")
        verbose_name_plural = _("follow-up checks")
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places_checked__gt=0), name="follow_up_checked_positive"),
            models.CheckConstraint(
                condition=Q(relapses__lte=F("places_checked")), name="follow_up_relapses_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} {self.checked_on}"
