"""Evaluation configuration, edited in admin: composite weights per party, count ladders, grades, assessment.

Defaults (standards.md §5.2 with its known defects fixed) are loaded by a data migration from
`chengguan.evaluation.defaults`.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Party(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor")
    OPERATOR = "operator", _("operator")
    SHIFT_LEADER = "shift_leader", _("shift leader")
    DISPATCHER = "dispatcher", _("dispatcher")
    DEPARTMENT = "department", _("department")
    REGION = "region", _("region")


PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Ladder(models.Model):
    """Turns a count into a 0–100 score, e.g. ≥ 2001 accepted reports → 100, ≤ 100 → 0."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("higher counts score higher (count ≥ bound)")
        AT_MOST = "at_most", _("lower counts score higher (count ≤ bound)")

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    per_unit_grid = models.BooleanField(
        _("per unit grid"),
        default=False,
        help_text=_("divide a region's count by its number of unit grids (a supervisor's: the unit grids of their "
                    "responsibility grids)"),
    )
    per_shift = models.BooleanField(
        _("per duty shift"),
        default=False,
        help_text=_("divide a person's count by the duty shifts they worked in the period (bounds are per shift)"),
    )
    per_month = models.BooleanField(
        _("bounds are per month"),
        default=True,
        help_text=_("counts of longer or shorter periods are converted to a monthly figure first"),
    )
    floor_score = models.DecimalField(
        _("score below the last bound"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )

    class Meta:
        verbose_name = _("count ladder")
        verbose_name_plural = _("count ladders")
        ordering = ["key"]

    def __str__(self):
        return self.name


class LadderStep(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    bound = models.DecimalField(
        _("bound"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["ladder", "bound"]
        constraints = [models.UniqueConstraint(fields=["ladder", "bound"], name="ladder_step_unique")]

    def __str__(self):
        return f"{self.bound} → {self.score}"


class Scheme(models.Model):
    """The composite score (综合指标值) of one party: weighted indicator scores; weights sum to 100 %."""

    party = models.CharField(_("party"), max_length=16, choices=Party.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("composite scheme")
        verbose_name_plural = _("composite schemes")
        ordering = ["party"]

    def __str__(self):
        return self.name


class SchemeTerm(models.Model):
    class Scoring(models.TextChoices):
        RATE = "rate", _("the rate itself (higher is better)")
        INVERTED = "inverted", _("100 − the rate (lower is better)")
        LADDER = "ladder", _("a count scored by a ladder")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="terms")
    indicator = models.CharField(_("indicator"), max_length=40)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    scoring = models.CharField(_("scoring"), max_length=8, choices=Scoring.choices, default=Scoring.RATE)
    ladder = models.ForeignKey(Ladder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("composite term")
        verbose_name_plural = _("composite terms")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "indicator"], name="scheme_term_unique"),
        ]

    def __str__(self):
        return f"{self.indicator} × {self.weight}%"

    def clean(self):
        from ..indicators import indicator_for

        super().clean()
        if self.scheme_id and indicator_for(self.scheme.party, self.indicator) is None:
            raise ValidationError({"indicator": _("This party has no such indicator.")})
        if self.scoring == self.Scoring.LADDER and self.ladder_id is None:
            raise ValidationError({"ladder": _("Choose the ladder that scores this count.")})
        if self.scoring != self.Scoring.LADDER and self.ladder_id is not None:
            raise ValidationError({"ladder": _("Only ladder scoring uses a ladder.")})


class Grade(models.Model):
    letter = models.CharField(_("grade"), max_length=2, unique=True)
    min_score = models.DecimalField(_("minimum score"), max_digits=5, decimal_places=2, validators=PERCENT)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["-min_score"]
        constraints = [models.UniqueConstraint(fields=["min_score"], name="grade_min_score_unique")]

    def __str__(self):
        return f"{self.letter} ≥ {self.min_score}"


class AssessmentSettings(models.Model):
    """One row: how the assessment total is formed and the red-light notice deadlines."""

    base_score = models.DecimalField(_("base score"), max_digits=7, decimal_places=2, default=100)
    street_digital_weight = models.DecimalField(
        _("digital urban management share of a street's total (%)"),
        max_digits=5,
        decimal_places=2,
        default=25,
        validators=PERCENT,
    )
    department_digital_weight = models.DecimalField(
        _("digital urban management share of a department's total (%)"),
        max_digits=5,
        decimal_places=2,
        default=25,
        validators=PERCENT,
    )
    urge_days = models.DecimalField(
        _("urging notice: working days to comply"), max_digits=5, decimal_places=2, default=1
    )
    supervise_days = models.DecimalField(
        _("supervision notice: working days to comply"), max_digits=5, decimal_places=2, default=2
    )
    referral_days = models.DecimalField(
        _("referral: working days for the supervision office"), max_digits=5, decimal_places=2, default=5
    )

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")

    def __str__(self):
        return str(_("assessment settings"))

    @classmethod
    def current(cls) -> "AssessmentSettings":
        return cls.objects.order_by("pk").first() or cls()
