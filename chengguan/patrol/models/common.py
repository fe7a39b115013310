"""Shared pieces: the body a person belongs to, local norms (configuration) and the activity log."""

from datetime import time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """The body a person serves in, as counted in a joint squad ("公安+城管+N")."""

    POLICE = "police", _("police officer")
    AUXILIARY_POLICE = "auxiliary_police", _("auxiliary police")
    OFFICER = "officer", _("enforcement officer")
    ASSISTANT = "assistant", _("assistant")
    SUPERVISOR = "supervisor", _("supervisor")
    OTHER = "other", _("other department")


def default_patrol_day_start():
    """07:00. A callable, not a fixed ``time``: Django warns (fields.W161) about a fixed time default whenever the
    clock reads within ten seconds of it, and that warning lands in every command's output at 07:00 and 23:00."""
    return time(7, 0)


def default_patrol_day_end():
    """23:00; a callable for the reason given at ``default_patrol_day_start``."""
    return time(23, 0)


class Norm(models.Model):
    """Staffing and patrol norms of a region; a district without its own row uses its city's, then the defaults.

    Cities differ: Ziyang requires at least 5 officers per 10,000 residents and at most one assistant per
    officer; Kaifeng 6 per 10,000 and at least 1.5 assistants per officer in districts.
    """

    class RatioRule(models.TextChoices):
        AT_MOST = "at_most", _("at most")
        AT_LEAST = "at_least", _("at least")

    region = models.OneToOneField(
        "org.Region", on_delete=models.CASCADE, related_name="patrol_norm", verbose_name=_("region")
    )
    officers_per_10k = models.DecimalField(
        _("officers per 10,000 residents (minimum)"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    assistant_ratio_rule = models.CharField(
        _("assistant ratio rule"), max_length=8, choices=RatioRule.choices, default=RatioRule.AT_MOST
    )
    assistants_per_officer = models.DecimalField(
        _("assistants per officer"), max_digits=4, decimal_places=2, default=Decimal("1")
    )
    patrol_day_start = models.TimeField(_("patrol day starts"), default=default_patrol_day_start)
    patrol_day_end = models.TimeField(_("patrol day ends"), default=default_patrol_day_end)
    track_gap_minutes = models.PositiveSmallIntegerField(
        _("longest gap between track points counted as patrolling (minutes)"), default=10
    )
    warning_window_days = models.PositiveSmallIntegerField(
        _("frontage violations: look-back for the 721 ladder (days)"), default=365
    )

    class Meta:
        verbose_name = _("local norm")
        verbose_name_plural = _("local norms")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(patrol_day_end__gt=models.F("patrol_day_start")), name="norm_patrol_day"
            ),
            models.CheckConstraint(
                condition=models.Q(assistants_per_officer__gt=0), name="norm_ratio_positive"
            ),
        ]

    def __str__(self):
        return str(self.region)


class ActivityLog(models.Model):
    """One row per state change in this app: who did what to which object, when (history is data)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=48, db_index=True)
    target = models.CharField(_("object type"), max_length=48)
    target_id = models.PositiveBigIntegerField(_("object id"), null=True)
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("region"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
