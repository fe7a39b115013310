"""Staff files: who serves where, training, rotation, accountability and the five-in-one file (五位一体)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .common import Body

USER = settings.AUTH_USER_MODEL


class StaffProfile(models.Model):
    """The personnel record of one person on the front line (officer, assistant, police, supervisor...)."""

    class Establishment(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("administrative establishment")
        CAREER = "career", _("public institution establishment")
        NONE = "none", _("no establishment")

    class Employment(models.TextChoices):
        CIVIL_SERVICE = "civil_service", _("civil service")
        RECRUITED = "recruited", _("recruited on contract")
        DISPATCHED = "dispatched", _("labour dispatch")
        PURCHASED = "purchased", _("government-purchased service")
        PUBLIC_WELFARE = "public_welfare", _("public-welfare post")
        OTHER = "other", _("other")

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    body = models.CharField(pgettext_lazy("staff category", "body"), max_length=16, choices=Body.choices)
    staff_number = models.CharField(_("staff number"), max_length=32, blank=True)
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        related_name="staff_profiles",
        verbose_name=_("serves in region"),
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_profiles",
        verbose_name=_("unit"),
    )
    post = models.CharField(_("post"), max_length=60, blank=True)
    establishment = models.CharField(
        _("establishment"), max_length=16, choices=Establishment.choices, blank=True
    )
    employment = models.CharField(_("employment type"), max_length=16, choices=Employment.choices, blank=True)
    employer = models.CharField(
        _("employer"),
        max_length=100,
        blank=True,
        help_text=_("For assistants: the employing or dispatching company."),
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["region__code", "body", "staff_number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=Body.ASSISTANT) | (~Q(employment="") & ~Q(employer="")),
                name="assistant_has_employer",
                violation_error_message=_("An assistant needs an employment type and an employer."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(hired_on__isnull=True)
                | Q(left_on__gte=models.F("hired_on")),
                name="staff_left_after_hired",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_body_display()})"

    def is_active_on(self, day) -> bool:
        return (self.hired_on is None or self.hired_on <= day) and (
            self.left_on is None or self.left_on > day
        )


class TrainingRecord(models.Model):
    class Category(models.TextChoices):
        PRE_SERVICE = "pre_service", _("pre-service training")
        IN_SERVICE = "in_service", _("in-service training")
        LEGAL = "legal", _("legal knowledge")
        POLICE = "police", _("police subjects")
        QUALIFICATION = "qualification", _("qualification exam")
        OTHER = "other", _("other")

    class Result(models.TextChoices):
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        ATTENDED = "attended", _("attended")

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="training_records", verbose_name=_("person")
    )
    subject = models.CharField(_("subject"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    provider = models.CharField(_("provider"), max_length=100, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="training_dates",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.subject}"


class RotationRecord(models.Model):
    """A posting change (交流轮岗): from one unit/post/region to another."""

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="rotations", verbose_name=_("person")
    )
    effective_on = models.DateField(_("effective on"))
    from_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from unit"),
    )
    to_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to unit"),
    )
    from_region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from region"),
    )
    to_region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("to region")
    )
    from_post = models.CharField(_("from post"), max_length=60, blank=True)
    to_post = models.CharField(_("to post"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotation history")
        ordering = ["-effective_on", "-pk"]

    def __str__(self):
        return f"{self.user} → {self.to_department or self.to_region} ({self.effective_on})"


class AccountabilityRecord(models.Model):
    """Accountability (责任追究) decided against a person."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder talk")
        ADMONITION = "admonition", _("admonishment talk")
        CRITICISM = "criticism", _("circulated criticism")
        WARNING = "warning", _("warning")
        DEMERIT = "demerit", _("demerit")
        DEMOTION = "demotion", _("demotion")
        DISMISSAL = "dismissal", _("dismissal")
        OTHER = "other", _("other")

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="accountability_records", verbose_name=_("person")
    )
    decided_on = models.DateField(_("decided on"))
    kind = models.CharField(_("measure"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    authority = models.CharField(_("decided by"), max_length=100, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} ({self.decided_on})"


class OfficerFileEntry(models.Model):
    """An entry of the five-in-one file (学法、宣法、执法、案件评查、责任追究); accountability has its own table."""

    class Category(models.TextChoices):
        STUDY = "study", _("law study")
        PUBLICITY = "publicity", _("law publicity")
        ENFORCEMENT = "enforcement", pgettext_lazy("work kind", "enforcement")
        CASE_REVIEW = "case_review", _("case file review")

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="file_entries", verbose_name=_("person")
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150)
    detail = models.TextField(_("detail"), blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Case file review score."),
    )
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("five-in-one file entry")
        verbose_name_plural = _("five-in-one file entries")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_category_display()} · {self.title}"
