"""Reads about staff: files in scope, the staffing report, the certificate registry, the five-in-one file."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q
from django.http import Http404

from chengguan.org.models import OfficerCertificate, Region, User
from chengguan.org.scope import in_scope

from ..access import STAFF_VIEWERS, may, roles_set
from ..models import AccountabilityRecord, Body, Norm, OfficerFileEntry, StaffProfile, TrainingRecord
from .norms import norm_for

EXPIRY_WINDOWS = (30, 60, 90)


def profiles_in_scope(actor):
    return in_scope(
        StaffProfile.objects.select_related("user", "region", "department"),
        actor,
        region_field="region",
        roles=roles_set(STAFF_VIEWERS),
    )


def profile_for_viewer(actor, user_id: int) -> StaffProfile:
    """A staff file the actor may read (their own, or one in their scope as a staff viewer); else 404."""
    profile = (
        StaffProfile.objects.select_related("user", "region", "department").filter(user_id=user_id).first()
    )
    if profile is None or not (profile.user_id == actor.pk or may(actor, STAFF_VIEWERS, profile.region)):
        raise Http404
    return profile


def active_q(day: date) -> Q:
    return (Q(hired_on__isnull=True) | Q(hired_on__lte=day)) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def certificate_status(cert: OfficerCertificate, day: date) -> str:
    """valid / expiring (within 90 days) / expired / revoked / no_exam / not_yet_valid."""
    if cert.revoked_at is not None:
        return "revoked"
    if cert.exam_passed_on is None:
        return "no_exam"
    if day < cert.valid_from:
        return "not_yet_valid"
    if cert.is_valid_on(day):
        return "expiring" if (cert.valid_to - day).days <= EXPIRY_WINDOWS[-1] else "valid"
    return "expired"


@dataclass
class StaffingRow:
    region: Region
    population: int | None
    norm: Norm
    counts: dict = field(default_factory=lambda: defaultdict(int))
    certified: int = 0
    expiring: dict = field(default_factory=lambda: dict.fromkeys(EXPIRY_WINDOWS, 0))
    expired: int = 0
    anomalies: list = field(default_factory=list)
    is_total: bool = False

    @property
    def officers(self) -> int:
        return self.counts[Body.OFFICER]

    @property
    def assistants(self) -> int:
        return self.counts[Body.ASSISTANT]

    @property
    def uncertified(self) -> int:
        return self.officers - self.certified

    @property
    def required_officers(self) -> int | None:
        if not self.population:
            return None
        return math.ceil(Decimal(self.population) * self.norm.officers_per_10k / Decimal(10000))

    @property
    def officers_per_10k(self) -> Decimal | None:
        if not self.population:
            return None
        return (Decimal(self.officers) * 10000 / Decimal(self.population)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )

    @property
    def officers_ok(self) -> bool | None:
        required = self.required_officers
        return None if required is None else self.officers >= required

    @property
    def assistants_per_officer(self) -> Decimal | None:
        if not self.officers:
            return None
        return (Decimal(self.assistants) / Decimal(self.officers)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def assistant_bound(self) -> int:
        """The most assistants allowed (rule "at most") or the fewest required ("at least")."""
        exact = Decimal(self.officers) * self.norm.assistants_per_officer
        if self.norm.assistant_ratio_rule == Norm.RatioRule.AT_MOST:
            return int(exact.to_integral_value(rounding="ROUND_FLOOR"))
        return int(exact.to_integral_value(rounding="ROUND_CEILING"))

    @property
    def assistants_ok(self) -> bool:
        if self.norm.assistant_ratio_rule == Norm.RatioRule.AT_MOST:
            return self.assistants <= self.assistant_bound
        return self.assistants >= self.assistant_bound

    @property
    def ok(self) -> bool:
        return (
            self.officers_ok is not False and self.assistants_ok and self.expired == 0 and not self.anomalies
        )


def _district_of(region_path: str, districts: list[Region]) -> Region | None:
    for district in districts:
        if region_path.startswith(district.path):
            return district
    return None


def staffing_report(actor, day: date) -> list[StaffingRow]:
    """One row per district in the actor's scope (plus the city total when they see the whole city)."""
    cities = [r for r in Region.objects.filter(level=Region.Level.CITY) if may(actor, STAFF_VIEWERS, r)]
    districts = [
        r
        for r in Region.objects.filter(level=Region.Level.DISTRICT).order_by("code")
        if may(actor, STAFF_VIEWERS, r)
    ]
    rows = {d.pk: StaffingRow(region=d, population=d.population, norm=norm_for(d)) for d in districts}
    totals = {
        c.pk: StaffingRow(region=c, population=c.population, norm=norm_for(c), is_total=True) for c in cities
    }
    profiles = (
        profiles_in_scope(actor)
        .filter(active_q(day))
        .prefetch_related(Prefetch("user__certificates"), "user__role_assignments")
    )
    for profile in profiles:
        targets = []
        district = _district_of(profile.region.path, districts)
        if district is not None:
            targets.append(rows[district.pk])
        targets += [t for t in totals.values() if profile.region.path.startswith(t.region.path)]
        for row in targets:
            _count(row, profile, day)
    ordered = list(rows.values())
    for city in cities:
        ordered.append(totals[city.pk])
    return ordered


def _count(row: StaffingRow, profile: StaffProfile, day: date) -> None:
    row.counts[profile.body] += 1
    certs = list(profile.user.certificates.all())
    if profile.body == Body.OFFICER:
        valid = [c for c in certs if c.is_valid_on(day)]
        if valid:
            row.certified += 1
            days_left = max(c.valid_to for c in valid) - day
            for window in EXPIRY_WINDOWS:
                if days_left.days <= window:
                    row.expiring[window] += 1
        elif any(c.valid_to < day and c.revoked_at is None for c in certs):
            row.expired += 1
    elif profile.body == Body.ASSISTANT:
        if any(c.is_valid_on(day) for c in certs):
            row.anomalies.append((profile, "assistant_certificate"))
        if any(a.role == "officer" for a in profile.user.role_assignments.all()):
            row.anomalies.append((profile, "assistant_officer_role"))


@dataclass
class CertificateEntry:
    certificate: OfficerCertificate
    profile: StaffProfile | None
    status: str
    days_left: int


def certificate_registry(actor, day: date, *, within_days: int | None = None, status: str | None = None):
    """Certificates of staff in the actor's scope, soonest expiry first; optionally only those expiring soon."""
    profiles = {p.user_id: p for p in profiles_in_scope(actor)}
    certs = (
        OfficerCertificate.objects.filter(user_id__in=profiles)
        .select_related("user")
        .order_by("valid_to", "number")
    )
    entries = []
    for cert in certs:
        entry = CertificateEntry(
            cert, profiles.get(cert.user_id), certificate_status(cert, day), (cert.valid_to - day).days
        )
        if within_days is not None and not (
            entry.status in ("valid", "expiring") and entry.days_left <= within_days
        ):
            continue
        if status and entry.status != status:
            continue
        entries.append(entry)
    return entries


@dataclass
class FiveInOneFile:
    profile: StaffProfile
    certificates: list
    training: list
    rotations: list
    entries: dict
    accountability: list

    @property
    def training_hours(self) -> Decimal:
        return sum((t.hours for t in self.training), Decimal(0))

    @property
    def case_review_average(self) -> Decimal | None:
        scores = [
            e.score
            for e in self.entries.get(OfficerFileEntry.Category.CASE_REVIEW, [])
            if e.score is not None
        ]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None


def five_in_one_file(profile: StaffProfile, *, year: int | None = None) -> FiveInOneFile:
    """The officer's five-in-one file (学法、宣法、执法、案件评查、责任追究), optionally for one year."""
    user: User = profile.user
    training = TrainingRecord.objects.filter(user=user)
    entries = OfficerFileEntry.objects.filter(user=user)
    accountability = AccountabilityRecord.objects.filter(user=user)
    if year:
        training = training.filter(started_on__year=year)
        entries = entries.filter(occurred_on__year=year)
        accountability = accountability.filter(decided_on__year=year)
    grouped = defaultdict(list)
    for entry in entries:
        grouped[entry.category].append(entry)
    return FiveInOneFile(
        profile=profile,
        certificates=list(user.certificates.all()),
        training=list(training),
        rotations=list(
            user.rotations.select_related("from_department", "to_department", "from_region", "to_region")
        ),
        entries=dict(grouped),
        accountability=list(accountability),
    )


def assistant_ready(user: User) -> bool:
    """An assistant may be put on duty once they passed pre-service training (岗前培训)."""
    return TrainingRecord.objects.filter(
        user=user, category=TrainingRecord.Category.PRE_SERVICE, result=TrainingRecord.Result.PASSED
    ).exists()
