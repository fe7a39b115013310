"""Assessment (考评): plus/minus items, their occurrences with evidence, accountability, red-light notices."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Target(models.TextChoices):
    STREET = "street", _("street / town")
    DEPARTMENT = "department", _("department")
    BOTH = "both", _("street or department")


class AssessmentItem(models.Model):
    """A scoring rule, e.g. "六个零容忍: 违规占道经营 −2 per occurrence". No cap and no floor."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"), max_length=50, help_text=_("e.g. 六个零容忍, 十个严管理, 常规综合执法工作")
    )
    points = models.DecimalField(
        _("points per occurrence"),
        max_digits=7,
        decimal_places=2,
        help_text=_("negative deducts, positive adds"),
    )
    applies_to = models.CharField(_("applies to"), max_length=10, choices=Target.choices, default=Target.BOTH)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["category", "code"]
        constraints = [models.CheckConstraint(condition=~Q(points=0), name="assessment_item_nonzero")]

    def __str__(self):
        return f"{self.code} {self.name}"


class FoundBy(models.TextChoices):
    DAILY_PATROL = "daily_patrol", _("daily patrol")
    SELF_CHECK = "self_check", _("self-check by the territory")
    CROSS_CHECK = "cross_check", _("cross-check")
    SPECIAL_CHECK = "special_check", _("special check")
    FOLLOW_UP = "follow_up", _("follow-up inspection")


class AssessmentRecord(models.Model):
    """One occurrence of an item for a street or a department; its points are fixed when it is recorded."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        CANCELLED = "cancelled", _("cancelled")

    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="records")
    street = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("street"),
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    found_by = models.CharField(_("found by"), max_length=16, choices=FoundBy.choices)
    quantity = models.PositiveIntegerField(_("occurrences"), default=1, validators=[MinValueValidator(1)])
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=2)
    description = models.TextField(_("description"))
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    cancelled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("assessment record")
        verbose_name_plural = _("assessment records")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(street__isnull=False) & Q(department__isnull=True))
                | (Q(street__isnull=True) & Q(department__isnull=False)),
                name="assessment_record_one_target",
            )
        ]

    def __str__(self):
        return f"{self.item.code} {self.target} {self.points}"

    @property
    def target(self):
        return self.street or self.department


class AssessmentEvidence(models.Model):
    record = models.ForeignKey(AssessmentRecord, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(pgettext_lazy("upload", "file"), upload_to="evaluation/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or self.sha256[:12]


class AccountabilityKind(models.TextChoices):
    PUBLIC_CRITICISM = "criticism", _("circulated criticism (通报批评)")
    INTERVIEW = "interview", _("admonishing talk by a leader (约谈)")
    TRAINING = "training", _("off-duty training (离岗培训)")
    ADJUSTMENT = "adjustment", _("organisational adjustment (组织调整)")


class AccountabilityAction(models.Model):
    kind = models.CharField(pgettext_lazy("accountability", "action"), max_length=12, choices=AccountabilityKind.choices)
    street = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("street"),
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    person = models.CharField(_("person held accountable"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    record = models.ForeignKey(
        AssessmentRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    notice = models.ForeignKey(
        "RedLightNotice", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("accountability action")
        verbose_name_plural = _("accountability actions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=False) | Q(department__isnull=False),
                name="accountability_has_target",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.street or self.department}"


class NoticeLevel(models.TextChoices):
    URGE = "urge", _("urging notice (催办通知书)")
    SUPERVISE = "supervise", _("supervision notice (督办通知书)")
    REFERRAL = "referral", _("referral to the supervision office (移送监察)")


NOTICE_ORDER = [NoticeLevel.URGE, NoticeLevel.SUPERVISE, NoticeLevel.REFERRAL]


class RedLightNotice(models.Model):
    """A notice about a red-light (overdue) case: urge → supervise → referral, each with a deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        COMPLIED = "complied", _("complied")
        ESCALATED = "escalated", _("escalated")

    number = models.CharField(_("notice number"), max_length=32, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    level = models.CharField(_("level"), max_length=10, choices=NoticeLevel.choices)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    step = models.CharField(_("overdue step"), max_length=12)
    step_deadline = models.DateTimeField(_("missed deadline"))
    text = models.TextField(_("text"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateTimeField(_("comply by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next"
    )

    class Meta:
        verbose_name = _("red-light notice")
        verbose_name_plural = _("red-light notices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="open"), name="red_light_one_open_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["deadline"], name="red_light_open_deadline", condition=Q(status="open"))
        ]

    def __str__(self):
        return self.number


class NoticeCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
