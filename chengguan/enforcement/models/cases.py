"""The enforcement case (执法案件) and what hangs off it: officers, events, evidence, measures, reviews."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .powers import PartyType, PowerItem

User = settings.AUTH_USER_MODEL


class EnforcementBody(models.Model):
    """An authority that issues decisions in its own name (执法主体), with its local configuration:
    document prefix, remedy bodies, bank for 罚缴分离, and the hearing / major-decision thresholds."""

    department = models.OneToOneField(
        "org.Department", on_delete=models.PROTECT, related_name="enforcement_body", verbose_name=_("department")
    )
    name = models.CharField(_("name on decisions"), max_length=120)
    short_name = models.CharField(_("document prefix"), max_length=20, help_text=_("e.g. 汴城管"))
    review_authority = models.CharField(_("administrative review authority"), max_length=120, blank=True)
    court = models.CharField(_("court"), max_length=120, blank=True)
    procuratorate = models.CharField(_("procuratorate"), max_length=120, blank=True)
    bank = models.CharField(_("bank for fines"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("supervision phone"), max_length=40, blank=True)
    hearing_threshold_person = models.DecimalField(
        _("hearing: large fine for a citizen above"), max_digits=12, decimal_places=2, default=Decimal("3000")
    )
    hearing_threshold_organisation = models.DecimalField(
        _("hearing: large fine for an organisation above"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("50000"),
    )
    major_threshold_person = models.DecimalField(
        _("major decision: fine for a citizen from"), max_digits=12, decimal_places=2, default=Decimal("10000")
    )
    major_threshold_organisation = models.DecimalField(
        _("major decision: fine for an organisation from"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("50000"),
    )

    class Meta:
        verbose_name = _("enforcement body")
        verbose_name_plural = _("enforcement bodies")

    def __str__(self):
        return self.name


class State(models.TextChoices):
    CLUE = "clue", _("clue registered")
    PENDING_FILING = "pending_filing", _("filing awaiting approval")
    INVESTIGATING = "investigating", _("investigation")
    INVESTIGATED = "investigated", _("investigation concluded")
    NOTIFIED = "notified", _("prior notice given")
    HEARING_REQUESTED = "hearing_requested", _("hearing requested")
    HEARING_SCHEDULED = "hearing_scheduled", _("hearing scheduled")
    HEARD = "heard", _("hearing held")
    IN_LEGAL_REVIEW = "in_legal_review", _("in legal review")
    REVIEWED = "reviewed", _("legal review passed")
    DECIDED = "decided", _("decided")
    SERVED = "served", _("served, awaiting performance")
    ENFORCING = "enforcing", _("enforcement of the decision")
    PERFORMED = "performed", _("performed")
    REFERRAL_PENDING = "referral_pending", _("criminal referral awaiting decision")
    REFERRAL_APPROVED = "referral_approved", _("criminal referral to hand over")
    REFERRED = "referred", _("referred to the police")
    DISMISSED = "dismissed", _("not filed")
    CLOSED = "closed", _("case closed")
    ARCHIVED = "archived", _("archived")


OPEN_STATES = [s for s in State.values if s not in ("dismissed", "closed", "archived")]


class Source(models.TextChoices):
    DIGITAL_CASE = "digital_case", _("digital urban management case")
    PATROL = "patrol", _("patrol")
    COMPLAINT = "complaint", _("complaint or tip-off")
    REFERRAL = "referral", _("referral from another authority")
    CAMERA = "camera", _("non-site enforcement device")
    OTHER = "other", _("other")


class Procedure(models.TextChoices):
    SUMMARY = "summary", _("summary procedure")
    ORDINARY = "ordinary", _("ordinary procedure")


class Resolution(models.TextChoices):
    """How the problem was finally solved, for the "721" statistics."""

    SERVICE = "service", _("service (education, persuasion)")
    MANAGEMENT = "management", _("management (order to correct, no penalty)")
    ENFORCEMENT = "enforcement", _("enforcement (penalty)")


class Outcome(models.TextChoices):
    PENALTY = "penalty", _("penalty")
    NO_PENALTY = "no_penalty", _("no penalty")


class EnforcementCase(models.Model):
    clue_number = models.CharField(_("clue number"), max_length=60, unique=True)
    number = models.CharField(_("case number"), max_length=60, blank=True, db_index=True)
    body = models.ForeignKey(EnforcementBody, on_delete=models.PROTECT, related_name="cases", verbose_name=_("body"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="enforcement_cases", verbose_name=_("handled by")
    )
    region = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="enforcement_cases", verbose_name=_("region")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="clue", db_index=True)
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices, default="ordinary")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    source_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enforcement_cases",
        verbose_name=_("digital urban management case"),
    )
    power_item = models.ForeignKey(
        PowerItem, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name=_("power")
    )
    title = models.CharField(_("cause of action"), max_length=200)

    party_type = models.CharField(_("party type"), max_length=12, choices=PartyType.choices, blank=True)
    party_name = models.CharField(_("party concerned"), max_length=120, blank=True)
    party_id_number = models.CharField(_("ID / credit code"), max_length=40, blank=True)
    party_legal_rep = models.CharField(_("legal representative"), max_length=60, blank=True)
    party_address = models.CharField(_("party address"), max_length=200, blank=True)
    party_phone = models.CharField(_("party phone"), max_length=30, blank=True)
    party_birth_date = models.DateField(_("party birth date"), null=True, blank=True)

    place = models.CharField(_("place of the violation"), max_length=200, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    facts = models.TextField(_("facts"), blank=True)
    violation_date = models.DateField(_("violation date"), null=True, blank=True)
    violation_end_date = models.DateField(
        _("continuing violation ended on"), null=True, blank=True, help_text=_("for continuing acts")
    )

    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by"))
    verification_due = models.DateTimeField(_("verification due"), null=True, blank=True, db_index=True)
    verification_extended = models.BooleanField(_("verification extended"), default=False)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    decision_due = models.DateTimeField(_("decision due"), null=True, blank=True, db_index=True)
    decision_extended_days = models.PositiveIntegerField(_("decision extended by (days)"), default=0)

    # Proposal and discretion (调查终结)
    proposed_outcome = models.CharField(_("proposed outcome"), max_length=12, choices=Outcome.choices, blank=True)
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list, blank=True)
    proposed_fine = models.DecimalField(_("proposed fine"), max_digits=12, decimal_places=2, null=True, blank=True)
    discretion_facts = models.JSONField(_("discretion facts"), default=dict, blank=True)
    suggested_level = models.CharField(_("suggested level"), max_length=10, blank=True)
    suggested_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    suggested_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    suggestion_reasons = models.JSONField(default=list, blank=True)
    chosen_level = models.CharField(_("chosen level"), max_length=10, blank=True)
    departure_reason = models.TextField(_("reason for departing from the benchmark"), blank=True)
    is_major = models.BooleanField(_("major decision (legal review)"), default=False)
    is_complex = models.BooleanField(_("complex (collective discussion)"), default=False)
    hearing_required = models.BooleanField(_("hearing right"), default=False)
    correction_order = models.TextField(_("order to correct"), blank=True)
    correction_due = models.DateField(_("correct by"), null=True, blank=True)

    # Prior notice, statements, hearing
    notified_at = models.DateTimeField(_("prior notice at"), null=True, blank=True)
    notified_fine = models.DecimalField(_("fine in the prior notice"), max_digits=12, decimal_places=2, null=True)
    rights_due = models.DateTimeField(_("statements / hearing request due"), null=True, blank=True, db_index=True)
    rights_waived = models.BooleanField(_("party waived statements"), default=False)
    hearing_requested_at = models.DateTimeField(_("hearing requested at"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=200, blank=True)
    hearing_presider = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hearing_held_at = models.DateTimeField(_("hearing held at"), null=True, blank=True)
    discussed_at = models.DateTimeField(_("collective discussion at"), null=True, blank=True)

    # Decision
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    fine_amount = models.DecimalField(_("fine"), max_digits=12, decimal_places=2, default=0)
    decision_text = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decision made at"), null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    service_due = models.DateTimeField(_("service due"), null=True, blank=True, db_index=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    service_method = models.CharField(_("service method"), max_length=20, blank=True)
    disclosure_due = models.DateTimeField(_("disclosure due"), null=True, blank=True, db_index=True)
    disclosed_at = models.DateTimeField(_("disclosed at"), null=True, blank=True)
    disclosure_withdrawn_at = models.DateTimeField(_("disclosure withdrawn at"), null=True, blank=True)
    summary_filed_at = models.DateTimeField(_("on-the-spot decision filed at"), null=True, blank=True)
    cash_collected = models.BooleanField(_("fine collected on the spot"), default=False)

    # Performance and enforcement
    payment_due = models.DateTimeField(_("payment due"), null=True, blank=True, db_index=True)
    review_deadline = models.DateTimeField(_("administrative review possible until"), null=True, blank=True)
    lawsuit_deadline = models.DateTimeField(_("lawsuit possible until"), null=True, blank=True)
    urged_at = models.DateTimeField(_("urged at"), null=True, blank=True)
    court_applied_at = models.DateTimeField(_("court application at"), null=True, blank=True)
    demolition_due = models.DateField(_("demolish by"), null=True, blank=True)
    demolition_announced_at = models.DateTimeField(_("demolition announced at"), null=True, blank=True)
    forced_demolition_decided_at = models.DateTimeField(_("forced demolition decided at"), null=True, blank=True)
    demolished_at = models.DateTimeField(_("demolished at"), null=True, blank=True)
    performed_at = models.DateTimeField(_("performed at"), null=True, blank=True)
    # Deadline fields counted over a year without an official holiday arrangement (fallback rule): shown as
    # 暂定 and counted again by `chengguan calendar recompute` (chengguan.enforcement.provisional).
    provisional_deadlines = models.JSONField(_("provisional deadlines"), default=list, blank=True)

    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    last_act_at = models.DateTimeField(_("last act at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enforcement case")
        verbose_name_plural = _("enforcement cases")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fine_amount__gte=0), name="case_fine_not_negative"),
        ]

    def __str__(self):
        return self.number or self.clue_number

    @property
    def procedure_label(self):
        """The procedure, once chosen: a clue has none yet (the field's default is not a decision)."""
        if self.state in (State.CLUE, State.DISMISSED) and self.procedure == Procedure.ORDINARY:
            return _("procedure not chosen yet")
        return self.get_procedure_display()

    @property
    def reference(self) -> str:
        return self.number or self.clue_number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def suggested_level_label(self) -> str:
        from .powers import DiscretionLevel

        return str(DiscretionLevel(self.suggested_level).label) if self.suggested_level else ""

    def officer_ids(self) -> set[int]:
        return {o.user_id for o in self.officers.all()}


class CaseOfficer(models.Model):
    """An officer assigned to handle the case (承办人), with the certificate held when assigned."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enforcement_assignments")
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    is_lead = models.BooleanField(_("lead handler"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_officer_unique")]

    def __str__(self):
        return f"{self.user} ({self.certificate_number})"


class CaseEvent(models.Model):
    """One act on a case: the procedure timeline, the statistics source and the audit chain's input."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(_("act"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20, blank=True)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor"))
    actor_role = models.CharField(_("as"), max_length=24, blank=True)
    actor_certificate = models.CharField(_("certificate"), max_length=40, blank=True)
    co_officer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    co_officer_certificate = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    late = models.BooleanField(_("after the deadline"), default=False)
    reason = models.TextField(_("reason / note"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case} {self.act} {self.at:%Y-%m-%d %H:%M}"

    @property
    def act_label(self) -> str:
        from ..workflow import ACTS, OTHER_ACT_LABELS

        spec = ACTS.get(self.act)
        return str(spec.label if spec else OTHER_ACT_LABELS.get(self.act, self.act))

    @property
    def from_label(self) -> str:
        return str(State(self.from_state).label) if self.from_state in State.values else ""

    @property
    def to_label(self) -> str:
        return str(State(self.to_state).label) if self.to_state in State.values else ""
