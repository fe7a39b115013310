"""Participation: volunteers and grid workers who report (with points), social supervisors who inspect enforcement
outcomes and comment (answered by staff within a deadline), 城管社区工作室 and 便民岗亭 with duty rosters, and
public consultation on a draft rule."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class VolunteerReport(models.Model):
    """A case a volunteer reported (the case itself lives in the case register, which volunteers cannot open)."""

    volunteer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="volunteer_reports",
                                  verbose_name=_("volunteer"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        verbose_name = _("volunteer report")
        verbose_name_plural = _("volunteer reports")
        ordering = ["-reported_at", "-pk"]

    def __str__(self):
        return f"{self.volunteer} · {self.case_id}"


class VolunteerPoints(models.Model):
    """The points ledger: a report earns points once per rewarded case action; administrators adjust by hand."""

    volunteer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("volunteer"))
    points = models.IntegerField(_("points earned"))
    reason = models.CharField(_("reason"), max_length=100)
    report = models.ForeignKey(VolunteerReport, null=True, blank=True, on_delete=models.PROTECT, related_name="points")
    at = models.DateTimeField(_("at"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("volunteer points")
        verbose_name_plural = _("volunteer points")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reason"], condition=models.Q(report__isnull=False),
                                    name="volunteer_points_once_per_action"),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.points:+d}"


class SupervisorComment(models.Model):
    """A social supervisor's comment on an enforcement outcome; staff answer it before `due`."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting answer")
        ANSWERED = "answered", _("answered")

    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("social supervisor"))
    case = models.ForeignKey("enforcement.EnforcementCase", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("enforcement case"))
    text = models.TextField(_("comment"))
    at = models.DateTimeField(_("commented at"))
    due = models.DateTimeField(_("answer due"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervisor comment")
        verbose_name_plural = _("supervisor comments")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.supervisor} · {self.at:%Y-%m-%d}"

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_at and self.answered_at > self.due)


class Place(models.Model):
    """A 城管社区工作室 or 便民岗亭: a point on the map, opening hours and a duty roster."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("community studio")
        BOOTH = "booth", _("service booth")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("managing unit"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    services = models.CharField(_("services"), max_length=300, blank=True)
    is_active = models.BooleanField(_("open to the public"), default=True)

    class Meta:
        verbose_name = _("participation place")
        verbose_name_plural = _("participation places")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class DutySlot(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="slots", verbose_name=_("place"))
    person = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("on duty"))
    starts_at = models.DateTimeField(_("duty from"))
    ends_at = models.DateTimeField(_("duty until"))

    class Meta:
        verbose_name = _("duty slot")
        verbose_name_plural = _("duty slots")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["place", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="duty_slot_ends_later"),
        ]

    def __str__(self):
        return f"{self.place} {self.starts_at:%m-%d %H:%M}"


class Consultation(models.Model):
    """Public consultation on a draft rule: published, opinions collected until `closes_at`, a response published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("collecting opinions")
        CLOSED = "closed", _("closed, response pending")
        RESPONDED = "responded", _("response published")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("explanatory note"), blank=True)
    draft_text = models.TextField(_("draft text"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("drafting unit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return self.title

    def accepts_opinions(self, now) -> bool:
        return self.status == self.Status.OPEN and self.closes_at is not None and now < self.closes_at


class Opinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    text = models.TextField(_("opinion"))
    at = models.DateTimeField(_("submitted at"))
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    reply = models.CharField(_("reply to the opinion"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:30]
