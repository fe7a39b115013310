"""The standard address gazetteer (标准地址库): region → street (街道) → road (道路/街巷) → house number (门牌号)
→ building (楼栋) → unit/room, plus points of interest (小区、学校、医院、商场).

One row per addressable point, with its place in the hierarchy as names (as cities export them from their
地名地址 database), its point in the storage system (GCJ-02), the unit grid and community it falls in, aliases
(旧名, 俗称) and the search tokens (see `text.py`). `cell` is a 0.001° square key for the reverse lookup.
"""

import math

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CELL_DEG = 0.001


def cell_key(lng: float, lat: float) -> int:
    return math.floor(lng / CELL_DEG) * 1_000_000 + math.floor(lat / CELL_DEG)


class Level(models.TextChoices):
    ROAD = "road", _("road")
    HOUSE = "house", _("house number")
    BUILDING = "building", _("building")
    UNIT = "unit", _("unit or room")
    POI = "poi", _("point of interest")


class AddressImport(models.Model):
    """One import of a gazetteer file (the history row of the gazetteer)."""

    filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(_("format"), max_length=10)
    crs = models.CharField(_("coordinate system"), max_length=10)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("address import")
        verbose_name_plural = _("address imports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({self.rows_imported})"


class Address(models.Model):
    code = models.CharField(_("address code"), max_length=40, blank=True, db_index=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.HOUSE)
    district = models.CharField(_("district"), max_length=40, blank=True)
    street = models.CharField(_("street (jiedao)"), max_length=40, blank=True)
    road = models.CharField(_("road"), max_length=60, blank=True)
    number = models.CharField(_("house number"), max_length=20, blank=True)
    building = models.CharField(_("building"), max_length=30, blank=True)
    unit = models.CharField(_("unit or room"), max_length=30, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    poi_kind = models.CharField(_("kind of place"), max_length=20, blank=True)
    aliases = models.CharField(_("aliases"), max_length=255, blank=True, help_text=_("separated by |"))
    full = models.CharField(_("full address"), max_length=255)
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    cell = models.BigIntegerField(db_index=True)
    unit_grid = models.ForeignKey(
        "grids.UnitGrid", null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    community = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="addresses"
    )
    search = models.TextField(editable=False)
    batch = models.ForeignKey(
        AddressImport, null=True, blank=True, on_delete=models.CASCADE, related_name="addresses"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [  # the reverse lookup reads candidates from this index alone (search.nearest_id)
            models.Index(fields=["cell", "lng", "lat", "id"], name="geo_address_near", condition=~models.Q(level="road")),
        ]

    def __str__(self):
        return self.full
