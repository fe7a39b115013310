"""What a case's proceedings record: evidence, coercive measures, legal review, criminal referral, payment,
remedy (reconsideration and litigation) and the case-file review."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cases import EnforcementCase

User = settings.AUTH_USER_MODEL


class Evidence(models.Model):
    """An evidence item (行政处罚法第46条), with the SHA-256 of its file in the audit chain."""

    class Kind(models.TextChoices):
        DOCUMENTARY = "documentary", _("documentary evidence")  # 书证
        PHYSICAL = "physical", _("physical evidence")  # 物证
        AUDIOVISUAL = "audiovisual", _("audio-visual material")  # 视听资料
        ELECTRONIC = "electronic", _("electronic data")  # 电子数据
        WITNESS = "witness", _("witness testimony")  # 证人证言
        PARTY_STATEMENT = "party_statement", _("party's statement")  # 当事人的陈述
        EXPERT_OPINION = "expert_opinion", _("expert opinion")  # 鉴定意见
        SITE_RECORD = "site_record", _("inspection or on-site record")  # 勘验笔录、现场笔录

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description of the evidence"), max_length=300)
    file = models.FileField(_("evidence file"), upload_to="enforcement/evidence/%Y/%m/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    collected_at = models.DateTimeField(_("collected at"))
    collected_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    co_officer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["collected_at", "pk"]

    def __str__(self):
        return self.description

    @property
    def media(self) -> str:
        major = (self.content_type or "").split("/")[0]
        return {"image": "photo", "audio": "audio", "video": "video"}.get(major, "file")


class CoerciveMeasure(models.Model):
    """Sealing (查封) or seizure (扣押): ≤ 30 days, once + 30 with approval (行政强制法第25条)."""

    class Kind(models.TextChoices):
        SEAL = "seal", _("sealing")
        SEIZE = "seize", _("seizure")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        IN_FORCE = "in_force", _("in force")
        RELEASED = "released", _("released")
        CONFISCATED = "confiscated", _("confiscated")
        DESTROYED = "destroyed", _("destroyed")
        REFUSED = "refused", _("refused")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    emergency = models.BooleanField(_("emergency (approval afterwards)"), default=False)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_due = models.DateTimeField(_("approval due"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, db_index=True)
    extended_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("coercive measure")
        verbose_name_plural = _("coercive measures")
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class LegalReview(models.Model):
    """The legal reviewer's opinion on a major decision (法制审核), kept with the case."""

    class Opinion(models.TextChoices):
        APPROVE = "approve", _("approve")
        RETURN = "return", _("return for further investigation or correction")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="legal_reviews")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    opinion = models.CharField(_("opinion"), max_length=8, choices=Opinion.choices, blank=True)
    text = models.TextField(_("opinion text"), blank=True)
    checklist = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return f"{self.case} · {self.get_opinion_display() or '…'}"


class CriminalReferral(models.Model):
    """行刑衔接: report → head decides within 3 days → hand over within 24 h → police reply within 3 days."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="referrals")
    offence = models.CharField(_("suspected offence"), max_length=120)
    report = models.TextField(_("written report"))
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    resume_state = models.CharField(max_length=20)
    decision_due = models.DateTimeField(_("decision due"), db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved = models.BooleanField(null=True)
    refusal_reason = models.TextField(blank=True)
    handover_due = models.DateTimeField(_("hand over by"), null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    police_unit = models.CharField(_("police unit"), max_length=120, blank=True)
    police_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_referrals",
        verbose_name=_("police unit (liaison account)"),
        limit_choices_to={"kind": "police"},
    )
    acknowledged_at = models.DateTimeField(_("received by the police at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    reply_due = models.DateTimeField(_("police reply due"), null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    police_accepted = models.BooleanField(null=True)
    reply_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("criminal referral")
        verbose_name_plural = _("criminal referrals")
        ordering = ["reported_at", "pk"]

    def __str__(self):
        return f"{self.case} · {self.offence}"


class Payment(models.Model):
    """Payment of a fine, normally at the bank (罚缴分离); cash on the spot only where the law allows."""

    class Channel(models.TextChoices):
        BANK = "bank", _("designated bank")
        ELECTRONIC = "electronic", _("electronic payment")
        CASH = "cash", _("cash on the spot")
        COURT = "court", _("court enforcement")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="payments")
    fine = models.DecimalField(_("fine"), max_digits=12, decimal_places=2)
    late_fee = models.DecimalField(_("late fee"), max_digits=12, decimal_places=2, default=0)
    channel = models.CharField(pgettext_lazy("payment", "channel"), max_length=10, choices=Channel.choices)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    cash_handover_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]

    def __str__(self):
        return f"{self.case} · {self.total}"

    @property
    def total(self) -> Decimal:
        return self.fine + self.late_fee


class RemedyProceeding(models.Model):
    """Administrative review or lawsuit against the decision; late fees do not accrue meanwhile (第73条)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("administrative review")
        LAWSUIT = "lawsuit", _("administrative lawsuit")

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)

    class Result(models.TextChoices):
        UPHELD = "upheld", _("decision upheld")
        REVOKED = "revoked", _("decision revoked")
        CHANGED = "changed", _("decision changed")
        ILLEGAL = "illegal", _("decision confirmed unlawful")
        WITHDRAWN = "withdrawn", _("withdrawn or settled")

    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)

    class Meta:
        verbose_name = _("remedy proceeding")
        verbose_name_plural = _("remedy proceedings")
        ordering = ["started_on", "pk"]

    def __str__(self):
        return f"{self.case} · {self.get_kind_display()}"

    @property
    def overturned(self) -> bool:
        """Revoked, changed or confirmed unlawful by the review body or the court (纠错)."""
        return self.result in (self.Result.REVOKED, self.Result.CHANGED, self.Result.ILLEGAL)


class CaseFileReview(models.Model):
    """案卷评查: a scoring sheet filled in by a reviewer for a closed case file."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="file_reviews")
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=12)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        verbose_name = _("case file review")
        verbose_name_plural = _("case file reviews")
        ordering = ["-reviewed_at", "pk"]

    def __str__(self):
        return f"{self.case} · {self.total}"
