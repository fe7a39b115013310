"""三单制 (Kaifeng): the task list (任务清单), the problem list (问题清单) and the responsibility list (责任清单, derived
from who owns which task and problem), plus the meetings whose decisions become tasks (Minhang's 双周/月度例会) and
the programmes of numbered categories ("19 大类 82 项具体任务")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chengguan.evaluation.models import NoticeLevel

USER = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """A year's set of tasks in numbered categories, e.g. 2026 年度目标任务 (19 大类 82 项)."""

    name = models.CharField(_("name"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("task programme")
        verbose_name_plural = _("task programmes")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A category (大类) of a programme, led by one of the bureau's leaders (局主要领导分别牵头)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    lead = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("leading leader"))

    class Meta:
        verbose_name = _("task category")
        verbose_name_plural = _("task categories")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="task_category_number")]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Meeting(models.Model):
    """A working meeting (例会) whose decisions become tasks with owners."""

    class Kind(models.TextChoices):
        BIWEEKLY = "biweekly", _("biweekly meeting")
        MONTHLY = "monthly", _("monthly meeting")
        BIMONTHLY = "bimonthly", _("bimonthly meeting")
        SPECIAL = "special", _("special meeting")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=150)
    held_at = models.DateTimeField(_("held at"))
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "-pk"]

    def __str__(self):
        return self.title


class Task(models.Model):
    """One item of the task list: an owner unit and person, a deadline, milestones and progress reports."""

    class Kind(models.TextChoices):
        REFORM = "reform", _("reform task")
        WORK = "work", _("work task")
        DECISION = "decision", _("meeting decision")
        RECTIFICATION = "rectification", _("rectification of a problem")

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        DONE = "done", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WORK)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
                                  verbose_name=_("programme"))
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
                                 verbose_name=_("category"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
                                verbose_name=_("meeting"))
    owner_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("owner unit"))
    owner_region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("region"))
    owner_person = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("person responsible"))
    leader = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("leading leader"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # the red-light ladder (催办 → 督办 → 移送): the current rung and when it must be complied with
    notice_level = models.CharField(_("notice"), max_length=12, choices=NoticeLevel.choices, blank=True)
    notice_due = models.DateTimeField(_("notice due"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["deadline"], condition=models.Q(status="open"), name="task_open_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_at_most_100"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Milestone(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=150)
    due = models.DateTimeField(_("milestone due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self):
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    at = models.DateTimeField(_("reported at"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("progress made"))
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("milestone reached"))
    closes = models.BooleanField(_("completes the task"), default=False)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.task.number} {self.percent}%"


class ProgressEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(pgettext_lazy("upload", "file"), upload_to="tasks/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class TaskNotice(models.Model):
    """A rung of the red-light ladder for an overdue task (the levels and days of the case notices)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        COMPLIED = "complied", _("complied")
        ESCALATED = "escalated", _("escalated")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    level = models.CharField(_("level"), max_length=12, choices=NoticeLevel.choices)
    text = models.CharField(_("text"), max_length=300)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateTimeField(_("comply by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("task notice")
        verbose_name_plural = _("task notices")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="open"), name="task_one_open_notice"),
        ]

    def __str__(self):
        return f"{self.task.number} {self.get_level_display()}"


class Problem(models.Model):
    """An item of the problem list, found on an inspection, at a meeting or in a case; tied to the unit that must
    fix it and the task that fixes it."""

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("inspection")
        MEETING = "meeting", _("meeting")
        CASE = "case", _("case")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("case"))
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="problems",
                                verbose_name=_("meeting"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("responsible unit"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="problems", verbose_name=_("task"))
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-raised_at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"
