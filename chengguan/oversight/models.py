"""Oversight of the force (队伍监督): complaints about officers' conduct, assistants' work permits (持证上岗)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    PORTAL = "portal", _("citizen portal")
    HOTLINE = "hotline", _("hotline")
    SUPERVISOR = "supervisor", _("supervisor or inspector")


class Conduct(models.TextChoices):
    RUDE = "rude", _("rude or uncivil manner")
    VIOLENCE = "violence", _("violent enforcement")
    ABUSE = "abuse", _("abuse of power or arbitrary fines")
    CORRUPTION = "corruption", _("taking bribes or favours")
    INACTION = "inaction", _("failure to act")
    APPEARANCE = "appearance", _("uniform, ID or body camera rules not followed")
    OTHER = "other", _("other")


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("oversight", "received")
    ASSIGNED = "assigned", _("assigned to an investigator")
    INVESTIGATED = "investigated", _("investigated")
    CONCLUDED = "concluded", _("concluded")
    REPLIED = "replied", _("replied to the complainant")


class Complaint(models.Model):
    """A complaint about an officer's or assistant's conduct (投诉执法人员), handled against working-day deadlines."""

    number = models.CharField(_("complaint number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED,
                             db_index=True)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("unit of the person complained about"))
    officer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="complaints_against", verbose_name=_("person complained about"))
    officer_hint = models.CharField(_("how the complainant describes them"), max_length=100, blank=True,
                                    help_text=_("badge or certificate number, name, vehicle, time and place"))
    conduct = models.CharField(_("conduct"), max_length=12, choices=Conduct.choices)
    text = models.TextField(_("what happened"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date it happened"), null=True, blank=True)
    complainant_name = models.CharField(_("complainant"), max_length=50, blank=True)
    complainant_phone = models.CharField(_("complainant phone"), max_length=20)
    enforcement_case = models.ForeignKey("enforcement.EnforcementCase", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("related enforcement case"))
    hotline_reference = models.CharField(_("hotline work order"), max_length=60, blank=True)

    received_at = models.DateTimeField(pgettext_lazy("oversight", "received at"), db_index=True)
    received_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=pgettext_lazy("oversight", "received by"))
    assign_due = models.DateTimeField(_("assign by"))
    reply_due = models.DateTimeField(_("reply by"), db_index=True)
    investigator = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("investigator"))
    assigned_at = models.DateTimeField(pgettext_lazy("oversight", "assigned at"), null=True, blank=True)
    investigation_due = models.DateTimeField(_("investigate by"), null=True, blank=True)
    findings = models.TextField(pgettext_lazy("oversight", "findings"), blank=True)
    investigated_at = models.DateTimeField(_("investigated at"), null=True, blank=True)
    substantiated = models.BooleanField(_("substantiated"), null=True)
    conclusion = models.TextField(pgettext_lazy("oversight", "conclusion"), blank=True)
    measure = models.CharField(_("accountability measure"), max_length=12, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("concluded by"))
    accountability = models.OneToOneField("patrol.AccountabilityRecord", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="complaint",
                                          verbose_name=_("accountability record"))
    reply_text = models.TextField(_("reply to the complainant"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("replied by"))
    replied_late = models.BooleanField(_("replied after the deadline"), default=False)

    class Meta:
        verbose_name = _("complaint about an officer")
        verbose_name_plural = _("complaints about officers")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(substantiated__isnull=True) | Q(concluded_at__isnull=False),
                                   name="complaint_concluded_with_outcome"),
        ]

    def __str__(self):
        return self.number

    @property
    def current_due(self):
        """The deadline of the step the complaint is waiting for."""
        return {State.RECEIVED: self.assign_due, State.ASSIGNED: self.investigation_due}.get(
            self.state, None if self.state == State.REPLIED else self.reply_due)


ACT_LABELS = {"receive": pgettext_lazy("oversight", "received"), "assign": _("assigned to an investigator"), "investigate": _("investigated"),
              "conclude": _("concluded"), "reply": _("replied to the complainant")}


class ComplaintEvent(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(_("act"), max_length=16)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    late = models.BooleanField(_("after the deadline"), default=False)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.complaint} {self.act}"

    @property
    def act_label(self) -> str:
        return str(ACT_LABELS.get(self.act, self.act))


class AssistantPermit(models.Model):
    """An assistant's work permit (协管员上岗证): numbered, valid for a period; without a valid one the assistant
    is not put on an enforcement case (the enforcement app asks through its assistant check)."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="assistant_permits",
                             verbose_name=_("assistant"))
    number = models.CharField(pgettext_lazy("oversight", "permit number"), max_length=24, unique=True)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    issuer = models.CharField(_("issuer"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("issued by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assistant work permit")
        verbose_name_plural = _("assistant work permits")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="permit_valid_range"),
        ]

    def __str__(self):
        return self.number

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_to


class Counter(models.Model):
    """Per-series, per-year numbering (complaints TS2026-0001, permits XG4102-2026-0001); never reused."""

    series = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="oversight_counter_unique")]

    def __str__(self):
        return f"{self.series}{self.year}:{self.last}"
