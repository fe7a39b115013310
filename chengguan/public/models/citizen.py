"""Citizens: satisfaction ratings (回访), the points ledger, rate-limit counters and the reveal log (PIPL)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Satisfaction(models.Model):
    """The reporter's verdict on a closed case: given on the portal or taken by an operator's call-back."""

    class Score(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASIC = "basic", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("unsatisfied")

    class Channel(models.TextChoices):
        WEB = "web", _("citizen portal")
        CALLBACK = "callback", _("operator call-back")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("case")
    )
    score = models.CharField(_("satisfaction"), max_length=12, choices=Score.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"), db_index=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_at", "-pk"]

    def __str__(self):
        return f"{self.case_id} {self.score}"


class PointsEntry(models.Model):
    """One line of a citizen's points ledger, keyed by phone. A reward is earned once per case and reason."""

    phone = models.CharField(_("phone"), max_length=20, db_index=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case"),
    )
    reason = models.CharField(_("reason"), max_length=40)
    points = models.IntegerField(pgettext_lazy("reward", "points"))
    at = models.DateTimeField(_("time"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points ledger")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone", "case", "reason"],
                condition=models.Q(case__isnull=False),
                name="points_once_per_case_reason",
            )
        ]

    def __str__(self):
        return f"{self.points:+d} {self.reason}"


class RateCounter(models.Model):
    """A fixed-window hit counter shared by every web process. `key` is a keyed hash, never the IP or phone."""

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="rate_counter_window")
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_age")]

    def __str__(self):
        return f"{self.scope} {self.window_start:%H:%M} {self.count}"


class PersonalDataReveal(models.Model):
    """Who saw a reporter's full name and phone, on which case, when and why (PIPL accountability)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("revealed by")
    )
    actor_role = models.CharField(_("role"), max_length=24)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="personal_data_reveals", verbose_name=_("case")
    )
    subject = models.CharField(_("whose data"), max_length=100, help_text=_("masked, e.g. 张** 139****1234"))
    fields = models.CharField(_("fields"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("time"), db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data reveal")
        verbose_name_plural = _("personal data reveals")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} → {self.case_id}"
