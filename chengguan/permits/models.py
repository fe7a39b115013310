"""Administrative permits (行政许可) with the statutory periods of the 行政许可法, and vending zones (疏导点)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    ADVERTISING = "advertising", _("outdoor advertising")
    SHOP_SIGN = "shop_sign", _("shop signboard")
    ROAD_OCCUPATION = "road_occupation", _("temporary road occupation")
    STALL = "stall", _("stall permit")
    GREEN_STAMP = "green_stamp", _("green stamp (greening review)")


class Channel(models.TextChoices):
    ONLINE = "online", pgettext_lazy("permit", "online")
    COUNTER = "counter", pgettext_lazy("permit", "at the counter")


class ApplicantType(models.TextChoices):
    PERSON = "person", _("natural person")
    ORGANISATION = "organisation", _("organisation or business")


class VendingZone(models.Model):
    """A vending zone (疏导点): a place where stalls may trade, with a capacity and opening hours."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    capacity = models.PositiveIntegerField(_("capacity (stalls)"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))
    goods = models.CharField(_("goods allowed"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("vending zone")
        verbose_name_plural = _("vending zones")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="vending_zone_capacity_positive"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="vending_zone_hours"),
        ]

    def __str__(self):
        return self.name


class Application(models.Model):
    """One application from submission to decision; once granted it is the permit (number, validity)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted, awaiting acceptance")
        NOTICE = "notice", _("one-time notice issued, awaiting the missing items")
        ACCEPTED = "accepted", _("accepted, under review")
        NOT_ACCEPTED = "not_accepted", _("not accepted")
        GRANTED = "granted", pgettext_lazy("permit", "granted")
        REFUSED = "refused", pgettext_lazy("permit", "refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("permit", "withdrawn")
        EXPIRED = "expired", pgettext_lazy("permit", "expired")
        REVOKED = "revoked", pgettext_lazy("permit", "revoked")

    number = models.CharField(_("application number"), max_length=24, unique=True)
    kind = models.CharField(_("permit kind"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.SUBMITTED)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("handling unit")
    )
    applicant_type = models.CharField(_("applicant type"), max_length=12, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    applicant_id_number = models.CharField(_("ID or credit code"), max_length=30, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    address = models.CharField(_("place"), max_length=200)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    description = models.TextField(_("what is applied for"))
    size = models.CharField(_("size (e.g. 6 m × 1.2 m)"), max_length=60, blank=True)
    zone = models.ForeignKey(
        VendingZone, null=True, blank=True, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("vending zone"),
    )
    stall_number = models.CharField(_("stall number"), max_length=12, blank=True)
    requested_from = models.DateField(_("requested from"))
    requested_to = models.DateField(_("requested until"))
    materials = models.JSONField(_("materials submitted"), default=list, blank=True)
    missing_items = models.JSONField(_("missing items (one-time notice)"), default=list, blank=True)
    renewal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals", verbose_name=_("renews")
    )
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    # the acceptance period restarts when the missing items arrive (行政许可法 第32条)
    acceptance_started_at = models.DateTimeField(_("acceptance period from"))
    acceptance_due = models.DateTimeField(_("accept by"), null=True, blank=True, db_index=True)
    notice_at = models.DateTimeField(_("one-time notice at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decision_due = models.DateTimeField(_("decide by"), null=True, blank=True, db_index=True)
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_approved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("extension approved by")
    )
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    deadline_provisional = models.BooleanField(_("provisional deadline"), default=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)
    permit_number = models.CharField(_("permit number"), max_length=60, blank=True, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    warned_key = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("permit application")
        verbose_name_plural = _("permit applications")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_to__gte=models.F("requested_from")),
                                   name="permit_requested_period"),
            models.CheckConstraint(condition=~Q(kind="stall") | Q(zone__isnull=False), name="permit_stall_has_zone"),
        ]
        indexes = [models.Index(fields=["kind", "status", "valid_to"], name="permit_register")]

    def __str__(self):
        return self.permit_number or self.number

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.NOTICE, self.Status.ACCEPTED)

    def valid_on(self, day) -> bool:
        return self.status == self.Status.GRANTED and self.valid_from <= day <= self.valid_to

    @property
    def due(self):
        """The running statutory deadline: acceptance or decision."""
        if self.status == self.Status.SUBMITTED:
            return self.acceptance_due
        if self.status == self.Status.ACCEPTED:
            return self.decision_due
        return None


ACT_LABELS = {
    "submit": _("application submitted"),
    "accept": _("accepted"),
    "notice": _("one-time notice of what is missing"),
    "resubmit": _("missing items handed in"),
    "not_accept": _("not accepted"),
    "extend": _("decision period extended"),
    "grant": _("permit granted"),
    "refuse": pgettext_lazy("permit", "refused"),
    "withdraw": pgettext_lazy("permit", "withdrawn"),
    "expire": pgettext_lazy("permit", "expired"),
    "revoke": pgettext_lazy("permit", "revoked"),
}


class ApplicationEvent(models.Model):
    """One row per act on an application: the history, the source of the timeliness figures."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(_("act"), max_length=24)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline set"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id} {self.act}"

    @property
    def act_label(self) -> str:
        return str(ACT_LABELS.get(self.act, self.act))


class Finding(models.Model):
    """A sign, advertisement or stall found on patrol; checked against the register and, without a valid permit,
    turned into an enforcement clue."""

    kind = models.CharField(_("permit kind"), max_length=16, choices=Kind.choices)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    address = models.CharField(_("place"), max_length=200)
    lng = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    description = models.TextField(_("what was found"))
    found_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("found at"))
    permit = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("valid permit nearby"),
    )
    clue = models.ForeignKey(
        "enforcement.EnforcementCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("enforcement clue"),
    )

    class Meta:
        verbose_name = _("unpermitted finding")
        verbose_name_plural = _("unpermitted findings")
        ordering = ["-found_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.address}"
