"""Rows of the background worker: one per claimed due run of a job, one heartbeat per worker process."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A job's run for one due time. The unique (job, due_at) pair is the claim: the worker whose INSERT wins
    runs it, every other worker (on any machine) gets an IntegrityError and skips it."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("finished")
        FAILED = "failed", _("failed")

    job = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("due at"))
    worker = models.CharField(_("worker"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    output = models.TextField(_("output"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["job", "due_at"], name="ops_jobrun_once_per_due_time")]
        indexes = [models.Index(fields=["job", "-due_at"], name="ops_jobrun_latest")]

    def __str__(self):
        return f"{self.job} @ {self.due_at:%Y-%m-%d %H:%M:%S} ({self.status})"


class WorkerHeartbeat(models.Model):
    """Each `chengguan worker` process writes its row every few seconds; /healthz and /metrics read them."""

    worker = models.CharField(_("worker"), max_length=200, unique=True)  # host:pid
    hostname = models.CharField(_("host"), max_length=150)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last heartbeat"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker
