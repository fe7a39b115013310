"""The illegal-building ledger (违建台账): every known illegal structure, its history and linked enforcement cases;
demolition projects (拆违项目) and the ledger targets of a campaign."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    STOCK = "stock", _("existing (存量)")
    NEW = "new", _("new (新增)")


class Use(models.TextChoices):
    RESIDENTIAL = "residential", _("residential")
    COMMERCIAL = "commercial", _("shop or commercial")
    INDUSTRIAL = "industrial", _("workshop or industrial")
    STORAGE = "storage", _("storage")
    ROOFTOP = "rooftop", _("rooftop addition")
    OTHER = "other", _("other")


class Source(models.TextChoices):
    PATROL = "patrol", _("patrol")
    REPORT = "report", _("citizen report or hotline")
    SURVEY = "survey", _("census or survey")
    AERIAL = "aerial", _("aerial or satellite image")
    REFERRAL = "referral", _("referral from another authority")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    PENDING = "pending", _("to be dealt with")
    STOPPED = "stopped", _("stopped")
    RETAINED = "retained", _("retained, awaiting treatment")
    DEMOLISHED = "demolished", _("demolished")


class DemolitionProject(models.Model):
    """A demolition project (拆违项目): a named site with targets of households and floor area."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("under way")
        COMPLETED = "completed", _("completed")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    target_households = models.PositiveIntegerField(_("target households"))
    target_area_m2 = models.DecimalField(_("target area (m²)"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    lead_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("lead unit"),
    )
    campaign = models.ForeignKey(
        "patrol.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("campaign"),
    )
    description = models.TextField(_("background"), blank=True)

    class Meta:
        verbose_name = _("demolition project")
        verbose_name_plural = _("demolition projects")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="demolition_project_period"),
            models.CheckConstraint(condition=Q(target_area_m2__gt=0), name="demolition_project_area_positive"),
        ]

    def __str__(self):
        return self.name


class LedgerTarget(models.Model):
    """What a campaign must demolish, counted from the ledger: items and floor area."""

    campaign = models.OneToOneField(
        "patrol.Campaign", on_delete=models.CASCADE, related_name="ledger_target", verbose_name=_("campaign")
    )
    items = models.PositiveIntegerField(_("structures to demolish"), default=0)
    area_m2 = models.DecimalField(_("area to demolish (m²)"), max_digits=12, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("ledger target of a campaign")
        verbose_name_plural = _("ledger targets of campaigns")

    def __str__(self):
        return f"{self.campaign}: {self.items} / {self.area_m2} m²"


class IllegalBuilding(models.Model):
    number = models.CharField(_("ledger number"), max_length=24, unique=True)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=200)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    households = models.PositiveIntegerField(_("households"), default=1)
    use = models.CharField(_("use"), max_length=12, choices=Use.choices)
    description = models.TextField(_("description"), blank=True)
    party_name = models.CharField(_("builder or owner"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=6, choices=Category.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    discovered_at = models.DateTimeField(_("discovered at"))
    discovered_on = models.DateField(_("discovered on"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    handled_at = models.DateTimeField(_("enforcement started at"), null=True, blank=True)
    # 当日发现、立即制止、当日查处: a new structure stopped and taken up by enforcement on the day it was found
    same_day = models.BooleanField(_("stopped and handled the same day"), default=False)
    retained_reason = models.CharField(_("why retained"), max_length=300, blank=True)
    demolished_on = models.DateField(_("demolished on"), null=True, blank=True)
    demolished_area_m2 = models.DecimalField(
        _("area demolished (m²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    project = models.ForeignKey(
        DemolitionProject, null=True, blank=True, on_delete=models.SET_NULL, related_name="buildings",
        verbose_name=_("demolition project"),
    )
    campaign = models.ForeignKey(
        "patrol.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("campaign"),
    )
    enforcement_cases = models.ManyToManyField(
        "enforcement.EnforcementCase", blank=True, related_name="+", verbose_name=_("enforcement cases")
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("illegal building")
        verbose_name_plural = _("illegal buildings")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="illegal_building_area_positive"),
            models.CheckConstraint(condition=Q(floors__gte=1), name="illegal_building_floors"),
            models.CheckConstraint(
                condition=~Q(status="demolished") | Q(demolished_on__isnull=False, demolished_area_m2__isnull=False),
                name="illegal_building_demolished_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "category"], name="illegal_building_status")]

    def __str__(self):
        return f"{self.number} {self.address}"


ACT_LABELS = {
    "register": _("entered in the ledger"),
    "stop": _("stopped on site"),
    "link_case": _("enforcement case linked"),
    "open_clue": _("enforcement clue opened"),
    "retain": _("retained, awaiting treatment"),
    "demolish": _("demolished"),
    "assign": _("assigned to a project or campaign"),
}


class BuildingEvent(models.Model):
    building = models.ForeignKey(IllegalBuilding, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(_("act"), max_length=16)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("ledger event")
        verbose_name_plural = _("ledger events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.building_id} {self.act}"

    @property
    def act_label(self) -> str:
        return str(ACT_LABELS.get(self.act, self.act))
