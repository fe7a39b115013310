"""Reads about operations and campaigns: lists in scope and campaign progress."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from chengguan.org.scope import in_scope

from ..access import EVERYONE_IN_PATROL, roles_set
from ..models import Campaign, JointOperation, OperationResult


def operations_in_scope(actor):
    return in_scope(
        JointOperation.objects.select_related("region", "campaign", "lead_department"),
        actor,
        region_field="region",
        roles=roles_set(EVERYONE_IN_PATROL),
    )


def campaigns_in_scope(actor):
    return in_scope(
        Campaign.objects.select_related("region", "lead_department"),
        actor,
        region_field="region",
        roles=roles_set(EVERYONE_IN_PATROL),
    )


def case_counts(campaign: Campaign) -> dict[int, int]:
    """Closed cases linked to the campaign, per matter id."""
    from ..services.links import closed_case_counts

    return closed_case_counts(campaign)


@dataclass
class TargetProgress:
    target: object
    from_operations: int
    from_cases: int

    @property
    def achieved(self) -> int:
        return self.from_operations + self.from_cases

    @property
    def share(self) -> float:
        return self.achieved / self.target.target_count

    @property
    def remaining(self) -> int:
        return max(self.target.target_count - self.achieved, 0)


@dataclass
class CampaignProgress:
    campaign: Campaign
    targets: list = field(default_factory=list)
    time_share: float = 0.0
    places_checked: int = 0
    relapses: int = 0
    operations: int = 0

    @property
    def share(self) -> float:
        """Overall progress: the mean of the targets' shares, each capped at 100 %."""
        if not self.targets:
            return 0.0
        return sum(min(t.share, 1.0) for t in self.targets) / len(self.targets)

    @property
    def on_track(self) -> bool:
        return self.share >= self.time_share

    @property
    def relapse_rate(self) -> float | None:
        return self.relapses / self.places_checked if self.places_checked else None


def campaign_progress(campaign: Campaign, day: date) -> CampaignProgress:
    """Progress per target from completed operations' results and linked closed cases, against elapsed time."""
    done = dict(
        OperationResult.objects.filter(
            operation__campaign=campaign, operation__status=JointOperation.Status.COMPLETED
        )
        .values_list("matter_id")
        .annotate(n=Sum("count"))
        .values_list("matter_id", "n")
    )
    cases = case_counts(campaign)
    progress = CampaignProgress(campaign=campaign)
    for target in campaign.targets.select_related("matter"):
        progress.targets.append(
            TargetProgress(target, done.get(target.matter_id, 0) or 0, cases.get(target.matter_id, 0))
        )
    total_days = (campaign.ends_on - campaign.starts_on).days + 1
    elapsed = min(max((day - campaign.starts_on).days + 1, 0), total_days)
    progress.time_share = elapsed / total_days
    checks = campaign.follow_ups.aggregate(p=Sum("places_checked"), r=Sum("relapses"))
    progress.places_checked, progress.relapses = checks["p"] or 0, checks["r"] or 0
    progress.operations = campaign.operations.filter(status=JointOperation.Status.COMPLETED).count()
    return progress
