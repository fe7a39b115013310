"""The full-process record (执法全过程记录): an append-only, hash-chained log any app can write to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One link of the chain. `hash` covers every other column and the previous record's hash, so editing or
    deleting a row breaks the chain at that point (`chengguan audit verify`)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    act = models.CharField(_("act"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    files = models.JSONField(_("files (path and SHA-256)"), default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("full-process record")
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self):
        return f"#{self.seq} {self.subject_type}:{self.subject_id} {self.act}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit records are append-only")

    @property
    def act_label(self) -> str:
        """The act in words (an enforcement act, or a case-loop action for other subjects); the code if unknown."""
        from ..workflow import ACTS, OTHER_ACT_LABELS

        spec = ACTS.get(self.act)
        return str(spec.label if spec else OTHER_ACT_LABELS.get(self.act, self.act))


class AuditHead(models.Model):
    """The single row naming the chain's last link; appends lock it so the chain stays linear."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"

