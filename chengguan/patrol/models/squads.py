"""Joint squads (联合执法分队, "公安+城管+N"), their composition templates, duty rosters and requests."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .common import Body

USER = settings.AUTH_USER_MODEL


class CompositionTemplate(models.Model):
    """Required head counts per body for a squad on shift, e.g. Haikou 1 police : 2 auxiliary : 2 officers : 4."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("composition template")
        verbose_name_plural = _("composition templates")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def required(self) -> dict[str, int]:
        return {r.body: r.min_count for r in self.requirements.all()}


class TemplateRequirement(models.Model):
    template = models.ForeignKey(
        CompositionTemplate, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("template")
    )
    body = models.CharField(pgettext_lazy("staff category", "body"), max_length=16, choices=Body.choices)
    min_count = models.PositiveSmallIntegerField(_("required count"))

    class Meta:
        verbose_name = _("template requirement")
        verbose_name_plural = _("template requirements")
        ordering = ["template", "body"]
        constraints = [
            models.UniqueConstraint(fields=["template", "body"], name="template_requirement_unique")
        ]

    def __str__(self):
        return f"{self.get_body_display()} × {self.min_count}"


class JointSquad(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="joint_squads", verbose_name=_("region")
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="joint_squads",
        verbose_name=_("owning unit"),
    )
    template = models.ForeignKey(
        CompositionTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="squads",
        verbose_name=_("composition template"),
    )
    grids = models.ManyToManyField(
        "grids.ResponsibilityGrid",
        blank=True,
        related_name="joint_squads",
        verbose_name=_("responsibility grids"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("joint squad")
        verbose_name_plural = _("joint squads")
        ordering = ["code"]

    def __str__(self):
        return self.name


class SquadMember(models.Model):
    squad = models.ForeignKey(
        JointSquad, on_delete=models.CASCADE, related_name="members", verbose_name=_("joint squad")
    )
    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="squad_memberships", verbose_name=_("person")
    )
    body = models.CharField(pgettext_lazy("staff category", "body"), max_length=16, choices=Body.choices)
    organisation = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("home organisation"),
    )
    is_leader = models.BooleanField(_("squad leader"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("squad member")
        verbose_name_plural = _("squad members")
        ordering = ["squad", "body", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["squad", "user"],
                condition=Q(left_on__isnull=True),
                name="squad_member_current_unique",
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.squad}"


class ShiftPattern(models.Model):
    """A named shift of the day, e.g. 早班 07:00–15:00; an end at or before the start runs past midnight."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=40)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        ordering = ["start"]

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class DutyShift(models.Model):
    """One shift on the duty roster of a responsibility grid (and the squad that covers it)."""

    day = models.DateField(_("duty date"), db_index=True)
    pattern = models.ForeignKey(
        ShiftPattern,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shift"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    grid = models.ForeignKey(
        "grids.ResponsibilityGrid",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("responsibility grid"),
    )
    squad = models.ForeignKey(
        JointSquad,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shifts",
        verbose_name=_("joint squad"),
    )
    leader = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leader of the shift"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["grid", "starts_at"]), models.Index(fields=["squad", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="duty_shift_range")
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.day} {local:%H:%M} {self.grid or self.squad or ''}".strip()

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class DutyAssignment(models.Model):
    class Status(models.TextChoices):
        ON_DUTY = "on_duty", _("on duty")
        ON_LEAVE = "on_leave", _("on leave")

    shift = models.ForeignKey(
        DutyShift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("shift")
    )
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="duty_assignments", verbose_name=_("person")
    )
    body = models.CharField(pgettext_lazy("staff category", "body"), max_length=16, choices=Body.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ON_DUTY)

    class Meta:
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        ordering = ["shift", "body", "pk"]
        constraints = [models.UniqueConstraint(fields=["shift", "user"], name="duty_assignment_unique")]

    def __str__(self):
        return f"{self.user} · {self.shift}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("declined")
    CANCELLED = "cancelled", _("cancelled")


class SwapRequest(models.Model):
    """Ask to hand a shift to a colleague, or to exchange it for one of theirs (换班)."""

    assignment = models.ForeignKey(
        DutyAssignment, on_delete=models.CASCADE, related_name="swap_requests", verbose_name=_("shift given")
    )
    requester = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("requester")
    )
    counterpart = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="+", verbose_name=_("colleague")
    )
    counterpart_assignment = models.ForeignKey(
        DutyAssignment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("shift taken in exchange"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.requester} ⇄ {self.counterpart} ({self.get_status_display()})"


class LeaveRequest(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual leave")
        SICK = "sick", _("sick leave")
        PERSONAL = "personal", _("personal leave")
        COMPENSATORY = "compensatory", _("compensatory leave")
        OTHER = "other", _("other")

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="leave_requests", verbose_name=_("person")
    )
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    starts_at = models.DateTimeField(_("start time"))
    ends_at = models.DateTimeField(_("end time"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="leave_range")]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} ({self.get_status_display()})"
