"""Fact tables (eGova pattern, standards.md §5.3): one row per case and one row per case step, with 0/1 flags.

Indicators are sums and ratios over these rows, so a monthly report reads a few hundred thousand narrow rows
and never replays events. Only the indexes the reports use exist (period first); the dimension foreign keys
are not indexed one by one, which keeps writes cheap and the tables small at city scale. Nor are they database
constraints (`db_constraint=False`): every dimension is copied from the case row, whose own foreign keys hold the
same values, so checking them again cost PostgreSQL 14 lookups per new case at commit (about an eighth of a bulk
import) for nothing; the ORM still applies each `on_delete`. The case itself stays a constraint. Both tables are derived data: `chengguan.evaluation.facts` rebuilds them from the
case events at any time, and keeps them current as events are recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


def flag(label):
    return models.PositiveSmallIntegerField(label, default=0)


class CaseFact(models.Model):
    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="fact", verbose_name=_("case")
    )
    # dimensions
    source = models.CharField(_("source"), max_length=12)
    channel = models.CharField(_("channel"), max_length=32, blank=True)
    matter = models.ForeignKey(
        "catalog.MatterType", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    major_code = models.CharField(_("major class"), max_length=2)
    district = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    street = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    community = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    unit_grid = models.ForeignKey(
        "grids.UnitGrid", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    responsibility_grid = models.ForeignKey(
        "grids.ResponsibilityGrid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    area_class = models.CharField(_("area class"), max_length=1, blank=True)
    reporter = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
        help_text=_("the last department the case was dispatched to"),
    )
    state = models.CharField(_("state"), max_length=20)
    reported_at = models.DateTimeField(_("reported at"))
    reported_on = models.DateField(_("reported on"))
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    first_dispatched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # 0/1 flags
    is_public = flag(_("public report"))  # citizen or hotline: needs verification (监督举报)
    need_verify = flag(_("sent to verify"))
    verify_confirmed = flag(_("verified as existing"))
    accepted = flag(_("accepted"))
    rejected = flag(_("rejected"))
    merged = flag(_("merged"))
    self_handled = flag(_("self-handled"))
    filed = flag(_("filed"))
    voided = flag(_("voided"))
    filed_valid = flag(_("filed and not voided"))  # 立案数
    valid = flag(_("valid report"))  # 有效上报: filed and not voided, or fixed on the spot
    dispatched = flag(_("dispatched"))
    handled = flag(_("handled"))
    handled_overdue = flag(_("handled late"))
    reworked = flag(_("reworked"))
    extended = flag(_("extended"))
    hung_up = flag(_("hung up (ever)"))
    hung_up_now = flag(_("hung up (now)"))
    returned = flag(_("returned"))
    rectified = flag(_("rectification confirmed"))
    need_close = flag(_("to be closed"))  # 应结案: valid and not hung up
    closed = flag(_("closed"))
    closed_on_time = flag(_("closed on time"))
    supervised = flag(_("supervised"))
    # counts
    rework_count = models.PositiveSmallIntegerField(default=0)
    extension_count = models.PositiveSmallIntegerField(default=0)
    hang_up_count = models.PositiveSmallIntegerField(default=0)
    return_count = models.PositiveSmallIntegerField(default=0)
    urge_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("case fact")
        verbose_name_plural = _("case facts")
        indexes = [
            models.Index(fields=["reported_on", "district"], name="casefact_day_district"),
            models.Index(fields=["reported_on", "street"], name="casefact_day_street"),
            models.Index(fields=["reported_on", "reporter"], name="casefact_day_reporter"),
            models.Index(fields=["closed_on"], name="casefact_closed_on"),
        ]

    def __str__(self):
        return f"fact {self.case_id}"


class StepFact(models.Model):
    """One step of one case: who had it, when it started and ended, its (extended) deadline and the outcome.

    Handle steps also carry the flags of the department's *assignment* (a dispatch plus its rework and resume
    steps) on the row that opened it (`assignment=1`), so department indicators count cases, not attempts.
    """

    # indexed by the (case, seq) unique constraint
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="step_facts", db_index=False
    )
    seq = models.PositiveSmallIntegerField(_("sequence"))
    step = models.CharField(_("step"), max_length=12)
    round = models.PositiveSmallIntegerField(_("round"), default=1)  # nth step of this kind in the case
    user = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    role = models.CharField(_("role"), max_length=24, blank=True)
    department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    district = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    street = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    community = models.ForeignKey(
        "org.Region", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    matter = models.ForeignKey(
        "catalog.MatterType", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    is_public = flag(_("public report"))
    started_at = models.DateTimeField(_("started at"))
    started_on = models.DateField(_("started on"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    limit_amount = models.FloatField(null=True, blank=True)
    limit_unit = models.CharField(max_length=16, blank=True)
    start_action = models.CharField(max_length=24, blank=True)
    end_action = models.CharField(max_length=24, blank=True)
    ended = flag(_("ended"))
    on_time = flag(_("ended on time"))
    overdue = flag(_("ended late"))
    faulted = flag(_("result found wrong"))  # filing voided, dispatch returned, reply failed the check
    extension_count = models.PositiveSmallIntegerField(default=0)
    urge_count = models.PositiveSmallIntegerField(default=0)
    supervised = flag(_("supervised"))
    # the department's assignment (handle steps; on the opening row only)
    assignment = flag(_("assignment"))
    a_handled = flag(_("assignment handled"))
    a_on_time = flag(_("assignment handled on time"))
    a_overdue = flag(_("assignment handled late"))
    a_reworked = flag(_("assignment reworked"))
    a_extended = flag(_("assignment extended"))
    a_hung_up = flag(_("assignment hung up"))
    a_hung_now = flag(_("assignment hung up now"))
    a_returned = flag(_("assignment returned"))
    a_closed = flag(_("assignment closed"))
    a_closed_on_time = flag(_("assignment closed on time"))

    class Meta:
        verbose_name = _("step fact")
        verbose_name_plural = _("step facts")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="stepfact_case_seq")]
        indexes = [
            models.Index(fields=["step", "started_on", "department"], name="stepfact_step_day_dept"),
            models.Index(fields=["step", "started_on", "user"], name="stepfact_step_day_user"),
            models.Index(fields=["deadline"], name="stepfact_open_deadline", condition=models.Q(ended=0)),
            # the open steps of a period: the measures a rollup cannot store (超期未处置, by the time of the report)
            models.Index(
                fields=["step", "started_on"], name="stepfact_open_step_day", condition=models.Q(ended=0)
            ),
        ]

    def __str__(self):
        return f"{self.case_id}#{self.seq} {self.step}"
