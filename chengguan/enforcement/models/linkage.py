"""Judicial linkage (行刑衔接) that closes: the procuratorate's supervision record (检察监督) of a referral and the
case briefings (案情通报) sent to the police and the court liaison."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class ProcuratorateRecord(models.Model):
    """检察监督: the copy of an overdue referral sent to the procuratorate, or the procuratorate's own act on it."""

    class Kind(models.TextChoices):
        COPY = "copy", _("copy sent to the procuratorate (overdue police reply)")
        SUPERVISION = "supervision", _("procuratorate's supervision of case filing")
        OPINION = "opinion", _("procuratorate's opinion or recommendation")

    referral = models.ForeignKey("enforcement.CriminalReferral", on_delete=models.CASCADE,
                                 related_name="procuratorate_records", verbose_name=_("criminal referral"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    procuratorate = models.CharField(_("procuratorate"), max_length=120)
    dated = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=80)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    class Meta:
        verbose_name = _("procuratorate supervision record")
        verbose_name_plural = _("procuratorate supervision records")
        ordering = ["dated", "pk"]

    def __str__(self):
        return f"{self.document_number} · {self.get_kind_display()}"


class CaseBriefing(models.Model):
    """案情通报: the facts of a case sent to the police unit and/or the court liaison, with its receipt."""

    case = models.ForeignKey("enforcement.EnforcementCase", on_delete=models.CASCADE, related_name="briefings",
                             verbose_name=_("case"))
    number = models.CharField(_("number"), max_length=80, unique=True)
    police_department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="received_briefings",
        verbose_name=_("police unit"), limit_choices_to={"kind": "police"},
    )
    court = models.CharField(_("court liaison"), max_length=120, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("briefing"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by"))
    acknowledged_at = models.DateTimeField(_("received at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case briefing")
        verbose_name_plural = _("case briefings")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(police_department__isnull=False) | ~models.Q(court=""),
                name="briefing_has_recipient",
            )
        ]

    def __str__(self):
        return self.number
