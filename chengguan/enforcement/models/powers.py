"""The power & responsibility list (权责清单) and the discretion benchmarks (裁量基准) of its penalty items."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PowerType(models.TextChoices):
    """The ten power types of the 权力清单 programmes (中办发〔2015〕21号)."""

    LICENSING = "licensing", _("administrative licensing")  # 行政许可
    PENALTY = "penalty", _("administrative penalty")  # 行政处罚
    COERCION = "coercion", _("administrative coercion")  # 行政强制
    LEVY = "levy", _("administrative levy")  # 行政征收
    BENEFIT = "benefit", _("administrative benefit")  # 行政给付
    INSPECTION = "inspection", _("administrative inspection")  # 行政检查
    CONFIRMATION = "confirmation", _("administrative confirmation")  # 行政确认
    REWARD = "reward", _("administrative reward")  # 行政奖励
    ADJUDICATION = "adjudication", _("administrative adjudication")  # 行政裁决
    OTHER = "other", _("other administrative power")  # 其他行政权力


class PowerLevel(models.TextChoices):
    """The level at which a power is exercised after transfers and delegations."""

    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    STREET = "street", _("street / town")


class PartyType(models.TextChoices):
    PERSON = "person", _("citizen (natural person)")  # 公民
    ORGANISATION = "organisation", _("legal person or other organisation")  # 法人或其他组织


class PowerItem(models.Model):
    """One item of the power & responsibility list, e.g. 擅自占用或者挖掘城市道路 (城市道路管理条例 42)."""

    code = models.CharField(_("item code"), max_length=32, unique=True)
    name = models.CharField(_("item name"), max_length=300)
    sub_item = models.CharField(_("sub-item"), max_length=300, blank=True)
    power_type = models.CharField(_("power type"), max_length=16, choices=PowerType.choices)
    sub_type = models.CharField(
        _("sub-type"), max_length=40, blank=True, help_text=_("local variant, e.g. 处罚/强制")
    )
    domain = models.CharField(_("domain"), max_length=60, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    law = models.CharField(_("law"), max_length=120, blank=True)
    article = models.CharField(_("article"), max_length=20, blank=True)
    paragraph = models.CharField(_("paragraph / item"), max_length=20, blank=True)
    violated_provision = models.CharField(_("provision violated"), max_length=120, blank=True)
    penalty_text = models.TextField(_("penalty (as the law says)"), blank=True)
    implementing_body = models.CharField(_("implementing body"), max_length=120, blank=True)
    handling_unit = models.CharField(_("handling unit"), max_length=120, blank=True)
    level = models.CharField(_("exercised at"), max_length=10, choices=PowerLevel.choices, default="city")
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    accountability = models.TextField(_("accountability cases"), blank=True)
    supervision_channel = models.CharField(_("supervision channel"), max_length=200, blank=True)
    time_limit = models.CharField(_("handling time limit"), max_length=120, blank=True)
    limitation_years = models.PositiveSmallIntegerField(
        _("limitation (years)"),
        default=2,
        help_text=_("2 years; 5 where the violation concerns life, health or financial safety (行政处罚法第36条)"),
    )
    first_violation_exempt = models.BooleanField(
        _("first violation may go unpunished"), default=False, help_text=_("首违不罚 list")
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("power item")
        verbose_name_plural = _("power & responsibility list")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_penalty(self) -> bool:
        return self.power_type == PowerType.PENALTY


class PowerTransfer(models.Model):
    """One step of an item's history: integrated from another department, delegated down, or taken back."""

    class Kind(models.TextChoices):
        INTEGRATED = "integrated", _("integrated (相对集中)")
        DELEGATED = "delegated", _("delegated down (下放)")
        ENTRUSTED = "entrusted", _("entrusted (委托)")
        WITHDRAWN = "withdrawn", _("taken back (收回)")

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    from_body = models.CharField(_("from"), max_length=120)
    to_body = models.CharField(_("to"), max_length=120)
    to_level = models.CharField(_("level afterwards"), max_length=10, choices=PowerLevel.choices)
    effective_on = models.DateField(_("effective on"))
    document = models.CharField(_("decision document"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("power transfer")
        verbose_name_plural = _("power transfers")
        ordering = ["item", "effective_on", "pk"]

    def __str__(self):
        return f"{self.item.code} {self.get_kind_display()} {self.effective_on}"


class DiscretionLevel(models.TextChoices):
    """Severity levels of a discretion benchmark, lightest first."""

    MINOR = "minor", _("minor")  # 轻微
    GENERAL = "general", _("general")  # 一般
    SERIOUS = "serious", _("serious")  # 较重
    SEVERE = "severe", _("severe")  # 严重


LEVEL_ORDER = [DiscretionLevel.MINOR, DiscretionLevel.GENERAL, DiscretionLevel.SERIOUS, DiscretionLevel.SEVERE]


class AmountBasis(models.TextChoices):
    """How a band's numbers turn into yuan."""

    FIXED = "fixed", _("fixed range (yuan)")
    PER_M2 = "per_m2", _("yuan per m²")
    PERCENT_OF_COST = "percent_of_cost", _("percent of construction cost")
    MULTIPLE_OF_VALUE = "multiple_of_value", _("multiple of value")
    PER_UNIT = "per_unit", _("yuan per unit (animal, vehicle, item)")


class DiscretionBenchmark(models.Model):
    """The published benchmark (裁量基准) of one penalty item for one party type."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="benchmarks")
    party_type = models.CharField(
        _("party type"), max_length=12, choices=PartyType.choices, blank=True, help_text=_("blank: any party")
    )
    basis = models.CharField(_("amount basis"), max_length=20, choices=AmountBasis.choices, default="fixed")
    statutory_min = models.DecimalField(_("statutory minimum (yuan)"), max_digits=12, decimal_places=2, default=0)
    statutory_max = models.DecimalField(
        _("statutory maximum (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    minor_exempt = models.BooleanField(
        _("minor and corrected: no penalty"), default=True, help_text=_("行政处罚法第33条第1款")
    )
    first_violation_exempt = models.BooleanField(_("first violation may go unpunished"), default=False)
    note = models.TextField(_("note"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        ordering = ["item", "party_type"]
        constraints = [
            models.UniqueConstraint(fields=["item", "party_type"], name="benchmark_item_party_unique"),
        ]

    def __str__(self):
        return f"{self.item.code} · {self.get_party_type_display() or '—'}"


class DiscretionBand(models.Model):
    """One level of a benchmark with its amount band and the facts that put a case there.

    `conditions` is a small predicate over the facts entered on the case, e.g. {"area_m2__gte": 50} or
    {"harm": "serious"}; all keys must hold. The most severe band whose conditions hold sets the base level.
    """

    benchmark = models.ForeignKey(DiscretionBenchmark, on_delete=models.CASCADE, related_name="bands")
    level = models.CharField(_("discretion level"), max_length=10, choices=DiscretionLevel.choices)
    amount_min = models.DecimalField(_("from"), max_digits=12, decimal_places=2)
    amount_max = models.DecimalField(_("to"), max_digits=12, decimal_places=2)
    criteria = models.CharField(_("criteria"), max_length=300, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)

    class Meta:
        verbose_name = _("discretion band")
        verbose_name_plural = _("discretion bands")
        ordering = ["benchmark", "amount_min"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "level"], name="band_level_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_max__gte=models.F("amount_min")), name="band_range_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.amount_min}–{self.amount_max}"


class DiscretionFactor(models.Model):
    """A mitigating or aggravating circumstance; without an item it applies to every item."""

    class Kind(models.TextChoices):
        MITIGATING = "mitigating", _("mitigating (从轻/减轻)")
        AGGRAVATING = "aggravating", _("aggravating (从重)")

    item = models.ForeignKey(
        PowerItem, null=True, blank=True, on_delete=models.CASCADE, related_name="factors"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("circumstance"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    mandatory = models.BooleanField(_("mandatory (应当)"), default=False)
    shift = models.SmallIntegerField(_("level shift"), default=1, help_text=_("levels moved: 1 or 2"))

    class Meta:
        verbose_name = _("discretion factor")
        verbose_name_plural = _("discretion factors")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="factor_item_code_unique")]

    def __str__(self):
        return self.label
