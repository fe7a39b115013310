"""Reads filtered by data scope: complaints, the officer file (five-in-one) and who may read it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from chengguan.enforcement.models import CaseFileReview, CaseOfficer
from chengguan.org.models import RoleAssignment, User
from chengguan.org.scope import scope_q, sees_everything
from chengguan.patrol.models import AccountabilityRecord, OfficerFileEntry, StaffProfile, TrainingRecord

from .access import COMPLAINT_VIEWERS, READERS
from .models import Complaint


def complaints_in_scope(user):
    return Complaint.objects.filter(scope_q(user, region_field="region", roles=COMPLAINT_VIEWERS)).select_related(
        "region", "officer", "investigator", "department")


def get_complaint(user, pk) -> Complaint:
    try:
        return complaints_in_scope(user).get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def person_regions(user: User) -> list:
    """Where a person serves: their staff file's region and the regions of their officer/assistant roles."""
    regions = [a.region for a in RoleAssignment.objects.filter(user=user, region__isnull=False).select_related("region")]
    profile = StaffProfile.objects.filter(user=user).select_related("region").first()
    if profile:
        regions.append(profile.region)
    return regions


def may_read_file(viewer, user: User) -> bool:
    if viewer.pk == user.pk or sees_everything(viewer):
        return True
    from chengguan.org.scope import region_paths

    paths = region_paths(viewer, READERS)
    return any(r.path.startswith(p) for r in person_regions(user) for p in paths)


def officer_for_viewer(viewer, user_id) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not may_read_file(viewer, user):
        raise Http404
    return user


@dataclass
class OfficerFile:
    user: User
    profile: StaffProfile | None
    year: int | None
    study: list = field(default_factory=list)  # training records + study entries
    publicity: list = field(default_factory=list)
    enforcement: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    review_entries: list = field(default_factory=list)
    accountability: list = field(default_factory=list)
    complaints: list = field(default_factory=list)

    @property
    def training_hours(self) -> Decimal:
        return sum((t.hours for t in self.study if isinstance(t, TrainingRecord)), Decimal(0))

    @property
    def review_average(self):
        scores = [r.total for r in self.reviews]
        return (sum(scores) / len(scores)).quantize(Decimal("0.1")) if scores else None

    @property
    def substantiated(self) -> int:
        return sum(1 for c in self.complaints if c.substantiated)


def officer_file(user: User, *, year: int | None = None) -> OfficerFile:
    """The five-in-one file, assembled from what the platform records: training and entries (学法、宣法), the cases
    handled (执法), the case-file reviews of those cases (案件评查), accountability and complaints (责任追究)."""
    training = TrainingRecord.objects.filter(user=user)
    entries = OfficerFileEntry.objects.filter(user=user)
    accountability = AccountabilityRecord.objects.filter(user=user)
    cases = CaseOfficer.objects.filter(user=user).select_related("case")
    reviews = CaseFileReview.objects.filter(case__officers__user=user).select_related("case", "reviewer")
    complaints = Complaint.objects.filter(officer=user)
    if year:
        training = training.filter(started_on__year=year)
        entries = entries.filter(occurred_on__year=year)
        accountability = accountability.filter(decided_on__year=year)
        cases = cases.filter(Q(assigned_at__year=year) | Q(case__closed_at__year=year))
        reviews = reviews.filter(reviewed_at__year=year)
        complaints = complaints.filter(received_at__year=year)
    by_cat: dict = {}
    for e in entries:
        by_cat.setdefault(e.category, []).append(e)
    return OfficerFile(
        user=user, profile=StaffProfile.objects.filter(user=user).select_related("region", "department").first(),
        year=year,
        study=list(training) + by_cat.get(OfficerFileEntry.Category.STUDY, []),
        publicity=by_cat.get(OfficerFileEntry.Category.PUBLICITY, []),
        enforcement=by_cat.get(OfficerFileEntry.Category.ENFORCEMENT, []),
        cases=[co.case for co in cases.order_by("-assigned_at")],
        reviews=list(reviews.distinct()),
        review_entries=by_cat.get(OfficerFileEntry.Category.CASE_REVIEW, []),
        accountability=list(accountability.select_related("complaint")),
        complaints=list(complaints.order_by("-received_at")),
    )
