"""Enforcement documents (执法文书): editable templates, per-body yearly numbering, generated files."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import EnforcementBody, EnforcementCase


class DocumentKind(models.TextChoices):
    FILING_APPROVAL = "filing_approval", _("filing approval form")  # 立案审批表
    INSPECTION_RECORD = "inspection_record", _("on-site inspection record")  # 现场检查笔录
    INQUIRY_RECORD = "inquiry_record", _("inquiry record")  # 询问笔录
    CORRECTION_ORDER = "correction_order", _("order to correct")  # 责令改正通知书
    PRIOR_NOTICE = "prior_notice", _("prior notice of penalty")  # 行政处罚事先告知书
    HEARING_NOTICE = "hearing_notice", _("notice of the right to a hearing")  # 听证告知书
    DECISION = "decision", _("penalty decision")  # 行政处罚决定书
    SPOT_DECISION = "spot_decision", _("on-the-spot penalty decision")  # 当场行政处罚决定书
    SERVICE_RECEIPT = "service_receipt", _("proof of service")  # 送达回证
    URGE_NOTICE = "urge_notice", _("reminder to perform")  # 履行催告书
    REFERRAL_LETTER = "referral_letter", _("criminal case transfer letter")  # 涉嫌犯罪案件移送书
    SEIZURE_DECISION = "seizure_decision", _("sealing / seizure decision")  # 查封(扣押)决定书
    CLOSING_REPORT = "closing_report", _("closing report")  # 结案报告


class DocumentTemplate(models.Model):
    """An uploaded replacement for a shipped .docx template; the newest active one wins."""

    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("template (.docx)"), upload_to="enforcement/templates/")
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.uploaded_at:%Y-%m-%d})"


class DocumentCounter(models.Model):
    """The last number issued in one series (e.g. 罚决) of one body in one year."""

    body = models.ForeignKey(EnforcementBody, on_delete=models.PROTECT, related_name="counters")
    series = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["body", "series", "year"], name="document_counter_unique")
        ]

    def __str__(self):
        return f"{self.body.short_name}{self.series} {self.year}: {self.last_number}"


class CaseDocument(models.Model):
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True, db_index=True)
    file = models.FileField(_("document file"), upload_to="enforcement/documents/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    template_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()
