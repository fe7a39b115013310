"""Links to the case loop (`cases` app): violations and small ads that open cases, cases counted by campaigns
and operations. Kept in one place so the rest of the app only knows `cases.Case` through here."""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.models import Case, Source
from chengguan.cases.services import case_report
from chengguan.cases.workflow import State
from chengguan.catalog.models import MatterType
from chengguan.core.errors import ValidationError
from chengguan.org.models import Role, User
from chengguan.org.scope import has_role

from ..access import MANAGERS, OPERATION_STAFF, require
from ..models import AdSighting, Campaign, JointOperation, ShopViolation
from ._base import log

SMALL_AD_MATTER = "07001"  # 非法小广告 (GB/T 47678.5-2026)


def report_source(actor: User) -> str | None:
    """The case source the actor may report as: a supervisor's patrol or a leader's report. Officers and
    assistants have no case-loop source; their findings stay in this app (see docs/patrol.md)."""
    if has_role(actor, Role.SUPERVISOR):
        return Source.SUPERVISOR
    if has_role(actor, Role.LEADER):
        return Source.LEADER
    return None


def open_case_for_violation(*, actor: User, violation: ShopViolation) -> Case | None:
    shop = violation.shop
    source = report_source(actor)
    if source is None or violation.matter is None or shop.lng is None:
        return None
    case = case_report(
        actor=actor,
        source=source,
        matter=violation.matter,
        lng=shop.lng,
        lat=shop.lat,
        crs="gcj02",
        description=f"门前责任区违规：{shop.name}（{shop.address}）{violation.description}",
        address=shop.address,
    )
    violation.case = case
    violation.save(update_fields=["case"])
    return case


def open_case_for_sighting(*, actor: User, sighting: AdSighting) -> Case | None:
    source = report_source(actor)
    matter = MatterType.objects.filter(code=SMALL_AD_MATTER, is_active=True).first()
    if source is None or matter is None or sighting.lng is None:
        return None
    case = case_report(
        actor=actor,
        source=source,
        matter=matter,
        lng=sighting.lng,
        lat=sighting.lat,
        crs="gcj02",
        description=f"非法小广告 {sighting.ads_count} 处，电话 {sighting.phone.number}。{sighting.location}".strip(),
        address=sighting.location,
        reported_at=sighting.seen_at,
    )
    sighting.case = case
    sighting.save(update_fields=["case"])
    return case


def _case_in(case: Case, region) -> bool:
    return case.community.path.startswith(region.path)


def _check_campaign_case(campaign: Campaign, case: Case) -> None:
    if not _case_in(case, campaign.region):
        raise ValidationError(_("The case lies outside the campaign's region."), field="case")
    if not campaign.targets.filter(matter_id=case.matter_id).exists():
        raise ValidationError(_("The campaign has no target for this case's matter."), field="case")
    reported = timezone.localtime(case.reported_at).date()
    if not campaign.starts_on <= reported <= campaign.ends_on:
        raise ValidationError(_("The case was reported outside the campaign's period."), field="case")


@transaction.atomic
def campaign_case_link(*, actor: User, campaign: Campaign, case: Case) -> Campaign:
    """Count a case towards a campaign (once it is closed): same region, a target matter, in the period."""
    require(actor, OPERATION_STAFF, campaign.region)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_campaign_case(campaign, case)
    campaign.cases.add(case)
    log(actor, "campaign.case_link", campaign, region=campaign.region, summary=case.number, case=case.pk)
    return campaign


@transaction.atomic
def campaign_link_matching_cases(*, actor: User, campaign: Campaign) -> int:
    """Link every case of a target matter reported in the campaign's region and period; returns how many
    were added."""
    require(actor, MANAGERS, campaign.region)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(campaign.starts_on, time.min), tz)
    end = timezone.make_aware(datetime.combine(campaign.ends_on, time.max), tz)
    candidates = Case.objects.filter(
        community__path__startswith=campaign.region.path,
        matter_id__in=campaign.targets.values("matter_id"),
        reported_at__gte=start,
        reported_at__lte=end,
    ).exclude(campaigns=campaign)
    ids = list(candidates.values_list("pk", flat=True))
    campaign.cases.add(*ids)
    log(actor, "campaign.case_link_matching", campaign, region=campaign.region, summary=str(len(ids)))
    return len(ids)


def closed_case_counts(campaign: Campaign) -> dict[int, int]:
    counts: dict[int, int] = {}
    for matter_id in campaign.cases.filter(state=State.CLOSED).values_list("matter_id", flat=True):
        counts[matter_id] = counts.get(matter_id, 0) + 1
    return counts


@transaction.atomic
def operation_case_link(*, actor: User, operation: JointOperation, case: Case) -> JointOperation:
    require(actor, OPERATION_STAFF, operation.region)
    operation = JointOperation.objects.select_for_update().get(pk=operation.pk)
    if not _case_in(case, operation.region):
        raise ValidationError(_("The case lies outside the operation's region."), field="case")
    if operation.status == JointOperation.Status.CANCELLED:
        raise ValidationError(_("The operation was cancelled."), field="operation")
    operation.cases.add(case)
    log(actor, "operation.case_link", operation, region=operation.region, summary=case.number, case=case.pk)
    return operation
