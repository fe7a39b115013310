"""The GB/T 47678.5-2026 catalogue: management component types (管理部件) and matter types (管理事项)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chengguan.core.workcalendar import UNITS

from .steps import STEP_CHOICES

type_code_validator = RegexValidator(r"^\d{5}$", _("A type code is 5 digits: 2 major + 3 minor."))


class CatalogueEntry(models.Model):
    code = models.CharField(_("type code"), max_length=5, unique=True, validators=[type_code_validator])
    name = models.CharField(_("name"), max_length=60)
    major_code = models.CharField(_("major class code"), max_length=2)
    major_name = models.CharField(_("major class"), max_length=40)
    is_extension = models.BooleanField(
        _("local extension"), default=False, help_text=_("Added by this city, not in the national standard.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    standard_kind = ""  # "component" or "matter": which list of the national standard this entry belongs to

    def clean(self):
        """Local extensions get codes of their own; the national entries keep theirs."""
        from .loader import standard_codes

        if not self.code:
            return
        if self.major_code and self.code[:2] != self.major_code:
            raise ValidationError(
                {"major_code": _("The major class code is the first two digits of the type code.")}
            )
        is_standard = self.code in standard_codes(self.standard_kind)
        if self.is_extension and is_standard:
            raise ValidationError(
                {
                    "code": _(
                        "%(code)s is a code of the national standard; give the local extension a free code."
                    )
                    % {"code": self.code}
                }
            )
        if not self.is_extension and not is_standard:
            raise ValidationError(
                {
                    "is_extension": _(
                        "%(code)s is not in the national standard: mark it as a local extension."
                    )
                    % {"code": self.code}
                }
            )


class ComponentType(CatalogueEntry):
    """A kind of physical asset, e.g. 01001 供水井盖 (Annex A of GB/T 47678.5-2026)."""

    standard_kind = "component"

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("component type")
        verbose_name_plural = _("component types")


class MatterType(CatalogueEntry):
    """A kind of problem, e.g. 06010 暴露垃圾 (Annex C). Majors 01–05 mirror component types ("…异常")."""

    standard_kind = "matter"

    component_type = models.ForeignKey(
        ComponentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matter_types",
        verbose_name=_("component type"),
    )

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("matter type")
        verbose_name_plural = _("matter types")

    @property
    def is_component_problem(self) -> bool:
        return self.component_type_id is not None


class Severity(models.TextChoices):
    URGENT = "urgent", _("urgent")
    PRESSING = "pressing", _("pressing")
    NORMAL = "normal", _("normal")


class AreaClass(models.TextChoices):
    A = "A", _("A (core area)")
    B = "B", _("B (general area)")
    C = "C", _("C (outer area)")


class FilingCondition(models.Model):
    """When a reported problem of a matter type is filed as a case (立案条件), and when it counts as fixed (结案条件)."""

    matter = models.ForeignKey(
        MatterType, on_delete=models.CASCADE, related_name="filing_conditions", verbose_name=_("matter type")
    )
    code = models.CharField(
        _("condition code"),
        max_length=16,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]{1,16}$", _("Letters, digits and '-' only."))],
        help_text=_("Usually the matter code plus a 2-digit sequence, e.g. 0601001."),
    )
    text = models.CharField(_("filing condition"), max_length=300)
    closing_text = models.CharField(_("closing condition"), max_length=300)
    default_severity = models.CharField(
        _("default severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    photo_required = models.BooleanField(
        _("photo required"),
        default=False,
        help_text=_("A supervisor's or officer's report of this matter must carry a photo of the problem."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("filing condition")
        verbose_name_plural = _("filing conditions")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.text}"


UNIT_LABELS = {
    "minutes": pgettext_lazy("time unit", "working minutes"),
    "working_hours": pgettext_lazy("time unit", "working hours"),
    "working_days": pgettext_lazy("time unit", "working days"),
    "natural_days": pgettext_lazy("time unit", "natural days"),
    "natural_hours": pgettext_lazy("time unit", "natural hours"),
}
UNIT_CHOICES = [(unit, UNIT_LABELS[unit]) for unit in UNITS]


class TimeLimit(models.Model):
    """The time allowed for one step. Empty filing condition / severity / area class match any value;
    the most specific matching row wins (filing condition, then severity, then area class)."""

    step = models.CharField(_("step"), max_length=10, choices=STEP_CHOICES)
    filing_condition = models.ForeignKey(
        FilingCondition,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="time_limits",
        verbose_name=_("filing condition"),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    area_class = models.CharField(_("area class"), max_length=1, choices=AreaClass.choices, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=14, choices=UNIT_CHOICES)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["step", "filing_condition__code", "severity", "area_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "filing_condition", "severity", "area_class"],
                condition=models.Q(filing_condition__isnull=False),
                name="time_limit_unique_with_condition",
                violation_error_message=_("A time limit for this combination exists already."),
            ),
            models.UniqueConstraint(
                fields=["step", "severity", "area_class"],
                condition=models.Q(filing_condition__isnull=True),
                name="time_limit_unique_without_condition",
                violation_error_message=_("A time limit for this combination exists already."),
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="time_limit_amount_not_negative"),
        ]

    def __str__(self):
        scope = " ".join(
            str(x) for x in (self.filing_condition, self.get_severity_display(), self.area_class) if x
        )
        return f"{self.get_step_display()} {scope} {self.amount:g} {self.get_unit_display()}".replace(
            "  ", " "
        )


class RoutingRule(models.Model):
    """Which department a matter goes to, city-wide or in a region or unit grid; the most specific rule wins."""

    matter = models.ForeignKey(
        MatterType, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("matter type")
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("region"),
    )
    unit_grid = models.ForeignKey(
        "grids.UnitGrid",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("unit grid"),
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("department")
    )
    priority = models.SmallIntegerField(
        _("priority"), default=0, help_text=_("Among equally specific rules the higher priority wins.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["matter__code", "-priority", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(unit_grid__isnull=True),
                name="routing_rule_region_or_grid",
                violation_error_message=_("A routing rule applies to a region or to a unit grid, not both."),
            ),
        ]

    def __str__(self):
        where = self.unit_grid or self.region or _("everywhere")
        return f"{self.matter} @ {where} → {self.department}"


class LegacyCode(models.Model):
    """A GB/T 30428.2-era type code (4 digits) and the GB/T 47678.5-2026 matter it maps to, for imports."""

    class Kind(models.TextChoices):
        COMPONENT = "component", _("component")
        EVENT = "event", _("event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("legacy code"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("A legacy code is 4 digits."))],
    )
    name = models.CharField(_("legacy name"), max_length=60)
    major_name = models.CharField(_("legacy major class"), max_length=40, blank=True)
    matter = models.ForeignKey(
        MatterType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legacy_codes",
        verbose_name=_("new matter type"),
        help_text=_("Empty: no equivalent in the new catalogue; imports must pick a matter by hand."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("legacy code")
        verbose_name_plural = _("legacy codes")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="legacy_code_unique")]

    def __str__(self):
        return f"{self.code} {self.name}"
