"""Regions (行政区划), departments, people, roles and API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TreeNode(models.Model):
    """A node in a tree with a materialised path ("/1/5/9/") so that a subtree is one prefix query."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=500, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != self.path:
            old_path, self.path = self.path, new_path
            model = type(self)
            model.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:  # a moved node takes its subtree along
                for pk, path in (
                    model.objects.filter(path__startswith=old_path)
                    .exclude(pk=self.pk)
                    .values_list("pk", "path")
                ):
                    model.objects.filter(pk=pk).update(path=new_path + path[len(old_path) :])

    def is_descendant_of(self, other) -> bool:
        return self.path.startswith(other.path)

    def ancestors(self):
        ids = [int(x) for x in self.path.strip("/").split("/") if x]
        return type(self).objects.filter(pk__in=ids).order_by("path")

    def descendants(self, include_self: bool = True):
        qs = type(self).objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class Region(TreeNode):
    """An administrative division: city → district/county → street/town → community/village."""

    class Level(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district / county")
        STREET = "street", _("street / town")
        COMMUNITY = "community", _("community / village")

    code = models.CharField(
        _("statistical code"), max_length=12, unique=True, help_text=_("12-digit statistical division code")
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON, GCJ-02)"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def adcode(self) -> str:
        """GB/T 2260 county-level code: the first six digits."""
        return self.code[:6]

    @property
    def street_code(self) -> str:
        return self.code[6:9]

    @property
    def community_code(self) -> str:
        return self.code[9:12]


class Department(TreeNode):
    """An organisation unit: bureau, centre, brigade, squad, disposal department and its sub-units."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("urban management bureau")
        CENTRE = "centre", _("supervision / command centre")
        BRIGADE = "brigade", _("enforcement brigade")
        SQUAD = "squad", _("enforcement squad")
        DISPOSAL = "disposal", _("disposal department")
        DISPOSAL_UNIT = "disposal_unit", _("disposal unit (second level)")
        STREET_OFFICE = "street_office", _("street office")
        POLICE = "police", _("public security")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("home region"),
    )
    regions_served = models.ManyToManyField(
        Region, blank=True, related_name="serving_departments", verbose_name=_("regions served")
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor")
    OPERATOR = "operator", _("operator")
    SHIFT_LEADER = "shift_leader", _("shift leader")
    DISPATCHER = "dispatcher", _("dispatcher")
    DEPARTMENT_HANDLER = "department_handler", _("department handler")
    OFFICER = "officer", _("enforcement officer")
    ASSISTANT = "assistant", _("assistant")
    LEGAL_REVIEWER = "legal_reviewer", _("legal reviewer")
    LEADER = "leader", _("leader")
    ADMIN = "admin", _("administrator")
    # Light roles (issue #20): they see only what their own app gives them, never the case register.
    VOLUNTEER = "volunteer", _("volunteer / grid worker")
    SOCIAL_SUPERVISOR = "social_supervisor", _("social supervisor")
    POLICE = "police", _("police liaison")


# Roles that see nothing of the case register or the enforcement files by region: a volunteer reports with points,
# a social supervisor reads published enforcement outcomes, the police liaison receives referrals.
LIGHT_ROLES = frozenset({Role.VOLUNTEER.value, Role.SOCIAL_SUPERVISOR.value, Role.POLICE.value})


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("failed logins"), default=0, editable=False)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    def role_names(self) -> set[str]:
        return {a.role for a in self.role_assignments.all()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names() & set(roles))


class RoleAssignment(models.Model):
    """A role bound to an organisation unit: a region (geographic scope) and/or a department."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("region"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(department__isnull=False),
                name="role_assignment_bound_to_unit",
                violation_error_message=_("A role must be bound to a region or a department."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region", "department"], name="role_assignment_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.department or self.region}"


class OfficerCertificate(models.Model):
    """An administrative enforcement certificate (行政执法证). Only holders of a valid one enforce."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("user")
    )
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issuer = models.CharField(_("issuer"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    exam_passed_on = models.DateField(_("qualification exam passed on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        ordering = ["valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")), name="certificate_valid_range"
            )
        ]

    def __str__(self):
        return self.number

    def is_valid_on(self, day) -> bool:
        return (
            self.revoked_at is None
            and self.exam_passed_on is not None
            and self.valid_from <= day <= self.valid_to
        )


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class LoginEvent(models.Model):
    """Security log of login attempts (successes, failures, lockouts)."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        LOCKED = "locked", _("locked out")

    username = models.CharField(_("username"), max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.outcome}"


class LoginThrottle(models.Model):
    """Sign-in attempts counted per scope (`ip`, `account_ip`, `account`) and keyed hash, in a window that starts
    with the first attempt. Claimed with one conditional UPDATE before the password is checked, so concurrent
    attempts cannot all slip under the limit (chengguan.org.throttle)."""

    scope = models.CharField(max_length=12)
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_key")]
        indexes = [models.Index(fields=["window_start"], name="login_throttle_age")]

    def __str__(self):
        return f"{self.scope} {self.key[:8]} {self.count}"
