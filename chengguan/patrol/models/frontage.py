"""Frontage responsibility (门前三包/五包) and the registry of phone numbers on illegal small ads."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Obligation(models.TextChoices):
    """The packages (包) a shop takes on for the pavement in front of it; 三包 = the first three."""

    CLEANLINESS = "cleanliness", _("cleanliness")
    GREENING = "greening", _("greening")
    ORDER = "order", pgettext_lazy("frontage duty", "order")
    APPEARANCE = "appearance", _("street appearance")
    FACILITIES = "facilities", _("public facilities")


THREE_PACKAGES = [Obligation.CLEANLINESS, Obligation.GREENING, Obligation.ORDER]
FIVE_PACKAGES = [*THREE_PACKAGES, Obligation.APPEARANCE, Obligation.FACILITIES]


class Shop(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open for business")
        CLOSED = "closed", _("closed down")

    name = models.CharField(_("shop name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    operator_name = models.CharField(_("shop operator"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200)
    business_type = models.CharField(_("business type"), max_length=50, blank=True)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="shops", verbose_name=_("region")
    )
    unit_grid = models.ForeignKey(
        "grids.UnitGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shops",
        verbose_name=_("unit grid"),
    )
    lng = models.FloatField(_("longitude (GCJ-02)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (GCJ-02)"), null=True, blank=True)
    frontage_m = models.FloatField(_("frontage length (m)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("shop")
        verbose_name_plural = _("shops")
        ordering = ["region__code", "name"]

    def __str__(self):
        return self.name


class FrontageAgreement(models.Model):
    """A signed responsibility agreement (责任书): the zone in front of the shop and the obligations taken."""

    class Scheme(models.TextChoices):
        THREE = "three", _("three packages")
        FIVE = "five", _("five packages")

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("shop")
    )
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    scheme = models.CharField(_("scheme"), max_length=6, choices=Scheme.choices)
    obligations = models.JSONField(_("obligations"), default=list)
    zone = models.CharField(
        _("responsibility zone"),
        max_length=200,
        help_text=_("E.g. from the shop front to the kerb, 12 m wide."),
    )
    zone_depth_m = models.FloatField(_("zone depth (m)"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    signed_by = models.ForeignKey(
        USER, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("signed by")
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("frontage agreement")
        verbose_name_plural = _("frontage agreements")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="agreement_period")
        ]

    def __str__(self):
        return self.number

    def is_in_force_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to and (
            self.terminated_on is None or self.terminated_on > day
        )


class ShopInspection(models.Model):
    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("shop")
    )
    agreement = models.ForeignKey(
        FrontageAgreement,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agreement"),
    )
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    passed = models.BooleanField(_("passed"))
    obligations_failed = models.JSONField(_("obligations not met"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        verbose_name = _("shop inspection")
        verbose_name_plural = _("shop inspections")
        ordering = ["-inspected_at", "-pk"]

    def __str__(self):
        return f"{self.shop} {self.inspected_at:%Y-%m-%d}"


class Measure(models.TextChoices):
    """The 721 ladder: education first, then a warning, a rectification order, and only then a penalty."""

    EDUCATION = "education", _("education and persuasion")
    WARNING = "warning", _("written warning")
    ORDER = "order", _("rectification order")
    PENALTY = "penalty", _("referral for penalty")


MEASURE_LADDER = [Measure.EDUCATION, Measure.WARNING, Measure.ORDER, Measure.PENALTY]


class ShopViolation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("not rectified")
        RECTIFIED = "rectified", _("rectified")
        REFERRED = "referred", _("referred for penalty")

    shop = models.ForeignKey(
        Shop, on_delete=models.CASCADE, related_name="violations", verbose_name=_("shop")
    )
    inspection = models.ForeignKey(
        ShopInspection, on_delete=models.CASCADE, related_name="violations", verbose_name=_("inspection")
    )
    obligation = models.CharField(_("obligation"), max_length=12, choices=Obligation.choices)
    matter = models.ForeignKey(
        "catalog.MatterType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("matter"),
    )
    description = models.CharField(_("description"), max_length=300)
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    clue = models.ForeignKey(
        "enforcement.EnforcementCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shop_violations",
        verbose_name=_("enforcement clue"),
    )
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("frontage violation")
        verbose_name_plural = _("frontage violations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["shop", "created_at"])]

    def __str__(self):
        return f"{self.shop} · {self.get_obligation_display()} · {self.get_measure_display()}"


class AdPhone(models.Model):
    """A phone number printed on illegal small ads (非法小广告); calls/stops are tracked by status."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in use")
        NOTIFIED = "notified", _("notified")
        SUSPENDED = "suspended", _("suspended by carrier")
        CLEARED = "cleared", _("cleared")

    number = models.CharField(_("phone number"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    carrier = models.CharField(_("carrier"), max_length=30, blank=True)
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"), db_index=True)
    sightings_count = models.PositiveIntegerField(_("sightings"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("small-ad phone number")
        verbose_name_plural = _("small-ad phone numbers")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return self.number


class AdSighting(models.Model):
    class AdKind(models.TextChoices):
        STICKER = "sticker", _("posted sticker")
        SPRAY = "spray", _("sprayed or painted")
        FLYER = "flyer", _("handed-out flyer")
        OTHER = "other", _("other")

    phone = models.ForeignKey(
        AdPhone, on_delete=models.CASCADE, related_name="sightings", verbose_name=_("phone")
    )
    seen_at = models.DateTimeField(_("seen at"))
    reported_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    unit_grid = models.ForeignKey(
        "grids.UnitGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit grid"),
    )
    lng = models.FloatField(_("longitude (GCJ-02)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (GCJ-02)"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    ad_kind = models.CharField(_("kind of ad"), max_length=8, choices=AdKind.choices, default=AdKind.STICKER)
    ads_count = models.PositiveIntegerField(_("ads found"), default=1)
    removed = models.BooleanField(_("removed on the spot"), default=False)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("small-ad sighting")
        verbose_name_plural = _("small-ad sightings")
        ordering = ["-seen_at", "-pk"]

    def __str__(self):
        return f"{self.phone} {self.seen_at:%Y-%m-%d}"
