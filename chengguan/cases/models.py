"""Cases (案卷) of the digital urban management loop, their event rows, evidence, requests and inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chengguan.catalog.models import AreaClass, Severity

from .workflow import ACTION_LABELS, FINAL_STATES, STATE_LABELS, State

ACTION_CHOICES = list(ACTION_LABELS.items())


class Source(models.TextChoices):
    SUPERVISOR = "supervisor", _("supervisor patrol")
    CITIZEN = "citizen", _("citizen (web / WeChat)")
    HOTLINE = "hotline", _("hotline (12345 / 12319)")
    CAMERA = "camera", _("camera / AI detection")
    LEADER = "leader", pgettext_lazy("case source", "leader")
    DEPARTMENT = "department", _("department self-found")
    PATROL = "patrol", _("enforcement patrol")  # 执法巡查: an officer's or assistant's finding on patrol


PUBLIC_SOURCES = frozenset({Source.CITIZEN, Source.HOTLINE})
STATE_CHOICES = [(k, v) for k, v in STATE_LABELS.items()]


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=32, unique=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    channel = models.CharField(
        _("channel"), max_length=32, blank=True, help_text=_("e.g. 12345, wechat, web")
    )
    external_id = models.CharField(_("external id"), max_length=64, blank=True)  # indexed in Meta (no LIKE index)

    matter = models.ForeignKey(  # indexed by case_matter_open, whose first column it is
        "catalog.MatterType",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("matter"),
        db_index=False,
    )
    component = models.ForeignKey(
        "grids.Component",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("component"),
    )
    filing_condition = models.ForeignKey(
        "catalog.FilingCondition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("filing condition"),
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    description = models.TextField(_("description"))

    lng = models.FloatField(_("longitude (GCJ-02)"))
    lat = models.FloatField(_("latitude (GCJ-02)"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    unit_grid = models.ForeignKey(
        "grids.UnitGrid", on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit grid")
    )
    responsibility_grid = models.ForeignKey(
        "grids.ResponsibilityGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("responsibility grid"),
    )
    community = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    street = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    district = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    area_class = models.CharField(_("area class"), max_length=1, choices=AreaClass.choices, default="B")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reported by"),
        db_index=False,  # indexed by case_reporter_latest, whose first column it is
    )
    reporter_name = models.CharField(_("reporter name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("reporter phone"), max_length=20, blank=True)
    reported_at = models.DateTimeField(_("reported at"), db_index=True)
    created_at = models.DateTimeField(_("created at"))

    state = models.CharField(_("state"), max_length=20, choices=STATE_CHOICES, default=State.REPORTED)
    is_open = models.BooleanField(_("open"), default=True)
    step = models.CharField(_("step"), max_length=12, blank=True)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    deadline = models.DateTimeField(_("step deadline"), null=True, blank=True)
    # Computed over a year whose official holiday arrangement was not entered yet (fallback rule); set on save
    # (chengguan.cases.provisional) and cleared by `chengguan calendar recompute`.
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)  # see case_provisional
    escalate_at = models.DateTimeField(_("escalate at"), null=True, blank=True)
    limit_amount = models.FloatField(_("step time limit"), null=True, blank=True)
    limit_unit = models.CharField(_("time limit unit"), max_length=16, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    current_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_cases",
        verbose_name=_("current department"),
    )
    dispatch_region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district dispatch"),
        help_text=_("the district a city dispatcher sent the case to for second-level dispatch"),
    )
    # The sweeper's compare-and-set flags; reset whenever a new step starts.
    overdue_notified = models.BooleanField(_("overdue notified"), default=False)
    escalated = models.BooleanField(_("escalated"), default=False)

    verified = models.BooleanField(_("verified on site"), null=True, blank=True)
    supervised = models.BooleanField(_("under supervision (督办)"), default=False)
    urge_count = models.PositiveIntegerField(_("urges"), default=0)
    rework_count = models.PositiveIntegerField(_("reworks"), default=0)
    extension_count = models.PositiveIntegerField(_("extensions"), default=0)
    hang_up_count = models.PositiveIntegerField(_("hang-ups"), default=0)
    return_count = models.PositiveIntegerField(_("returns"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    departments = models.ManyToManyField(
        "org.Department",
        through="CaseDepartment",
        related_name="dispatched_cases",
        verbose_name=_("departments dispatched to"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-reported_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-reported_at"], name="case_state_reported"),
            # the sweeper's due cases. Its flags (overdue_notified, escalated) are in no index, so its claim
            # UPDATE is HOT on PostgreSQL (no new entry in the table's indexes); a pass goes on after its last (time, id).
            models.Index(
                fields=["deadline", "id"],
                name="case_open_deadline",
                condition=models.Q(is_open=True, deadline__isnull=False),
            ),
            models.Index(
                fields=["escalate_at", "id"],
                name="case_open_escalation",
                condition=models.Q(is_open=True, escalate_at__isnull=False),
            ),
            models.Index(fields=["matter", "is_open", "reported_at"], name="case_matter_open"),
            # the open cases `chengguan calendar recompute` revisits (few; an index entry only for them)
            models.Index(
                fields=["id"],
                name="case_provisional",
                condition=models.Q(is_open=True, deadline_provisional=True),
            ),
            models.Index(fields=["external_id"], name="case_external_id"),
            # each supervisor's latest own report (the dashboard's positions)
            models.Index(fields=["reporter", "-reported_at"], name="case_reporter_latest"),
            # duplicate search: open cases of a matter in a small box around a point
            models.Index(
                fields=["matter", "lat", "lng"],
                name="case_open_matter_place",
                condition=models.Q(is_open=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_open=True) | models.Q(state__in=sorted(FINAL_STATES)),
                name="case_open_matches_state",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state, self.state)

    def traffic_light(self, now) -> str:
        from chengguan.core.workcalendar import traffic_light

        if not self.is_open or not self.deadline or not self.step_started_at:
            return ""
        return traffic_light(self.step_started_at, self.deadline, now, self.limit_unit or "minutes")


class CaseDepartment(models.Model):
    """Every department a case was ever dispatched to: what a department may see."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT)
    first_dispatched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="case_department_unique")]

    def __str__(self):
        return f"{self.case_id} → {self.department_id}"


class CaseCounter(models.Model):
    """The last case number used per prefix and year; rows are locked while a number is taken."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="case_counter_unique")]

    def __str__(self):
        return f"{self.prefix}{self.year}: {self.last}"


class CaseEvent(models.Model):
    """One row per action: the audit trail, the evaluation's source and the notification outbox.

    `step`/`deadline`/`step_started_at`/`department`/`assignee` describe the step the case is in AFTER the
    action; `ended_step`/`ended_step_deadline`/`on_time` describe the step the action ended (if it did).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_events",
        verbose_name=_("actor"),
    )
    actor_role = models.CharField(_("actor role"), max_length=24, blank=True)
    actor_name = models.CharField(_("actor name"), max_length=100, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)
    from_state = models.CharField(pgettext_lazy("state change", "from"), max_length=20, blank=True)
    to_state = models.CharField(pgettext_lazy("state change", "to"), max_length=20)
    step = models.CharField(_("step"), max_length=12, blank=True)
    step_started_at = models.DateTimeField(_("step started at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    limit_amount = models.FloatField(null=True, blank=True)
    limit_unit = models.CharField(max_length=16, blank=True)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_events",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )
    ended_step = models.CharField(_("ended step"), max_length=12, blank=True)
    ended_step_started_at = models.DateTimeField(null=True, blank=True)
    ended_step_deadline = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(_("ended step on time"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["action", "at"], name="case_event_action_at")]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BEFORE)
    file = models.FileField(_("image file"), upload_to="cases/%Y/%m/")
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(_("EXIF time"), null=True, blank=True)
    exif_lng = models.FloatField(_("EXIF longitude (WGS84)"), null=True, blank=True)
    exif_lat = models.FloatField(_("EXIF latitude (WGS84)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name or self.sha256[:12]


class CaseRequest(models.Model):
    """A department's pending request (extension, hang-up) that a dispatcher approves or denies."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("extension")
        HANG_UP = "hang_up", _("hang-up")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        DENIED = "denied", _("denied")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    amount = models.FloatField(_("extra time"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)

    class Meta:
        verbose_name = _("department request")
        verbose_name_plural = _("department requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="case_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class IdempotencyKey(models.Model):
    """`Idempotency-Key` of a create request, per user: a replay returns the same case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self):
        return self.key


class Notification(models.Model):
    """The in-app inbox; other channels (SMS, WeChat) are sent through `channels`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24)
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # a reminder (no case) links to where the work is done; `key` makes a reminder go out once per person
    link = models.CharField(_("link"), max_length=200, blank=True)
    key = models.CharField(_("reminder key"), max_length=120, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user"),
        ]

    def __str__(self):
        return self.text


class StockPhrase(models.Model):
    """A stock phrase (常用语) offered under an action's reason field, edited in admin per city."""

    action = models.CharField(_("action"), max_length=24, choices=[(a, label) for a, label in ACTION_CHOICES])
    text = models.CharField(_("text"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("stock phrase")
        verbose_name_plural = _("stock phrases")
        ordering = ["action", "order", "pk"]

    def __str__(self):
        return self.text


class ImportCheckpoint(models.Model):
    """How far a bulk import of one file got (`chengguan cases import --bulk`): the file's SHA-256 and the last
    line of the last committed chunk. Written in each chunk's transaction, so a crashed import resumes after it."""

    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, unique=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    lines = models.PositiveIntegerField(_("lines in the file"), default=0)
    last_line = models.PositiveIntegerField(_("last committed line"), default=0)
    cases = models.PositiveIntegerField(_("cases imported"), default=0)
    events = models.PositiveIntegerField(_("events imported"), default=0)
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import checkpoint")
        verbose_name_plural = _("import checkpoints")

    def __str__(self):
        return f"{self.path or self.file_sha256[:12]}: line {self.last_line}"
