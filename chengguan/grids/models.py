"""Unit grids (单元网格), responsibility grids (责任网格) and the component inventory (部件).

Geometry is stored as GeoJSON (GCJ-02 lon/lat, the declared storage system) in JSON columns; the geocoder
builds an in-process shapely STRtree from it, so no spatial database extension is needed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import ValidationError as DomainValidationError

unit_grid_code_validator = RegexValidator(
    r"^\d{15}$", _("A unit grid code is 15 digits: 6 region + 3 street + 3 community + 3 sequence.")
)
component_code_validator = RegexValidator(
    r"^\d{17}$", _("A component id is 17 digits: 6 region + 5 type + 6 sequence.")
)


class UnitGrid(models.Model):
    code = models.CharField(
        _("unit grid code"), max_length=15, unique=True, validators=[unit_grid_code_validator]
    )
    community = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="unit_grids", verbose_name=_("community")
    )
    geometry = models.JSONField(_("geometry (GeoJSON, GCJ-02)"))
    area_m2 = models.FloatField(_("area (m²)"), default=0)
    land_use = models.CharField(_("land-use class"), max_length=8, blank=True)
    management_level = models.CharField(_("management level"), max_length=8, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit grid")
        verbose_name_plural = _("unit grids")
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def sequence(self) -> str:
        return self.code[12:15]

    def clean(self):
        super().clean()
        from .codes import validate_unit_grid_code

        if self.community_id and self.code:
            try:
                validate_unit_grid_code(self.code, self.community)
            except DomainValidationError as exc:
                raise ValidationError({exc.field or "code": exc.message}) from exc
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})


class ResponsibilityGrid(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="responsibility_grids", verbose_name=_("region")
    )
    unit_grids = models.ManyToManyField(
        UnitGrid, related_name="responsibility_grids", verbose_name=_("unit grids")
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsibility_grids",
        verbose_name=_("supervisors"),
    )
    squad = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsibility_grids",
        verbose_name=_("squad"),
    )

    class Meta:
        verbose_name = _("responsibility grid")
        verbose_name_plural = _("responsibility grids")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Component(models.Model):
    class Status(models.TextChoices):
        INTACT = "intact", _("intact")
        DAMAGED = "damaged", _("damaged")
        LOST = "lost", _("lost")
        ABANDONED = "abandoned", _("abandoned")
        REMOVED = "removed", _("removed")

    code = models.CharField(
        _("component id"), max_length=17, unique=True, validators=[component_code_validator]
    )
    type = models.ForeignKey(
        "catalog.ComponentType", on_delete=models.PROTECT, related_name="components", verbose_name=_("type")
    )
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    unit_grid = models.ForeignKey(
        UnitGrid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="components",
        verbose_name=_("unit grid"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INTACT)
    owner = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_components",
        verbose_name=_("owner"),
    )
    maintainer = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintained_components",
        verbose_name=_("maintainer"),
    )
    surveyed_on = models.DateField(_("initial date"), null=True, blank=True)
    changed_on = models.DateField(_("change date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.type.name}"

    @property
    def adcode(self) -> str:
        return self.code[:6]

    def clean(self):
        super().clean()
        from .codes import validate_component_code

        if self.code and self.type_id:
            adcode = self.unit_grid.code[:6] if self.unit_grid_id else self.code[:6]
            try:
                validate_component_code(self.code, adcode=adcode, type_code=self.type.code)
            except DomainValidationError as exc:
                raise ValidationError({exc.field or "code": exc.message}) from exc


class GridIndexVersion(models.Model):
    """One row whose token changes whenever grids or regions change, so every process can refresh its
    in-memory geocoder index (see geocoder.py). A random token, not only a counter: a rolled-back change must
    never be mistaken for a later committed one that happens to reach the same number."""

    version = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("grid index version")
        verbose_name_plural = _("grid index versions")

    def __str__(self):
        return f"v{self.version} {self.token}"


class GridEvent(models.Model):
    """History of changes to the grid master data (who changed which grid, component or region, when)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        RETIRED = "retired", _("retired")
        DELETED = "deleted", _("deleted")
        STATUS = "status", _("status changed")
        IMPORTED = "imported", _("imported")
        GENERATED = "generated", _("generated")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=24)
    object_code = models.CharField(_("object code"), max_length=32, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("grid change")
        verbose_name_plural = _("grid changes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_type} {self.object_code} {self.action}"
