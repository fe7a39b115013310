"""Links to the case loop (`cases` app) and to enforcement (`enforcement` app): violations and small ads that open
cases, violations that open enforcement clues, cases counted by campaigns and operations, enforcement cases
produced by joint operations. Kept in one place so the rest of the app only knows those apps through here."""

from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.models import Case, Source
from chengguan.cases.services import case_report
from chengguan.cases.workflow import State
from chengguan.catalog.models import MatterType
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.models import EnforcementCase
from chengguan.enforcement.models import Source as ClueSource
from chengguan.enforcement.services import case_register_clue
from chengguan.org.models import Role, RoleAssignment, User
from chengguan.org.scope import has_role
from chengguan.org.selectors import valid_certificate

from ..access import INSPECTORS, MANAGERS, OPERATION_STAFF, may, require
from ..models import AdSighting, Campaign, JointOperation, ShopViolation
from ._base import log

SMALL_AD_MATTER = "07001"  # 非法小广告 (GB/T 47678.5-2026)


def report_source(actor: User) -> str | None:
    """The case source the actor reports as: a supervisor's patrol, a leader's report, or an officer's or
    assistant's enforcement patrol (执法巡查). Others (an admin) report nothing from here."""
    if has_role(actor, Role.SUPERVISOR):
        return Source.SUPERVISOR
    if has_role(actor, Role.LEADER):
        return Source.LEADER
    if has_role(actor, Role.OFFICER, Role.ASSISTANT):
        return Source.PATROL
    return None


def open_case_for_violation(*, actor: User, violation: ShopViolation, explicit: bool = False) -> Case | None:
    """Open the violation's case. At an inspection (not `explicit`) only supervisors' and leaders' findings open
    one at once; officers and assistants choose on the violation: a case, an enforcement clue, or both."""
    shop = violation.shop
    source = report_source(actor)
    if source is None or violation.matter is None or shop.lng is None:
        return None
    if source == Source.PATROL and not explicit:
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


def open_case_for_sighting(*, actor: User, sighting: AdSighting) -> Case:
    """The sighting's 非法小广告 case, asked for explicitly (`open_case`): a supervisor's or leader's report, or an
    officer's or assistant's enforcement patrol (执法巡查). The ads must be located by a point."""
    source = report_source(actor)
    if source is None:
        raise PermissionDenied(_("Your role reports no cases."), field="open_case", code="forbidden")
    if sighting.lng is None:
        raise ValidationError(_("A case needs the position of the ads: give lng and lat."), field="lng")
    matter = MatterType.objects.filter(code=SMALL_AD_MATTER, is_active=True).first()
    if matter is None:
        raise ValidationError(_("The small-ad problem type (07001) is not active."), field="open_case")
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


@transaction.atomic
def violation_report_case(*, actor: User, violation: ShopViolation, matter: MatterType | None = None) -> Case:
    """“Report as case”: the violation becomes a digital-urban-management case (source: the reporter's, for
    officers and assistants 执法巡查) and is linked to it. Field staff and managers of the shop's area may."""
    shop = violation.shop
    require(actor, INSPECTORS, shop.region, message=_("Only staff on patrol in this area may report it."))
    violation = ShopViolation.objects.select_for_update().select_related("shop").get(pk=violation.pk)
    if violation.case_id:
        raise Conflict(
            _("The violation was reported as case %(number)s already.") % {"number": violation.case.number},
            field="violation",
            code="already_reported",
        )
    if report_source(actor) is None:
        raise PermissionDenied(_("Your role reports no cases."), field="violation", code="forbidden")
    matter = violation.matter or matter
    if matter is None or not matter.is_active:
        raise ValidationError(_("Choose the problem type of the case."), field="matter")
    if violation.shop.lng is None:
        raise ValidationError(_("The shop has no position: locate it first."), field="shop")
    if violation.matter_id is None:
        violation.matter = matter
        violation.save(update_fields=["matter"])
    case = open_case_for_violation(actor=actor, violation=violation, explicit=True)
    log(actor, "violation.report_case", violation, region=shop.region, summary=case.number, case=case.pk)
    return case


def _officer_department(actor: User, region):
    """The unit in which the actor serves as an officer for this region (their brigade or squad)."""
    rows = RoleAssignment.objects.filter(
        user=actor, role=Role.OFFICER, department__isnull=False
    ).select_related("department", "region")
    for row in rows:
        if row.region is None or region.path.startswith(row.region.path):
            return row.department
    return None


@transaction.atomic
def violation_open_clue(*, actor: User, violation: ShopViolation) -> EnforcementCase:
    """“Open enforcement clue” (线索登记) for the violation, through the enforcement app's clue intake, and link
    both. Only a certified officer of the shop's area may: assistants assist, they do not enforce."""
    shop = violation.shop
    if not may(actor, {Role.OFFICER}, shop.region):
        if may(actor, {Role.ASSISTANT}, shop.region):
            raise PermissionDenied(
                _("Assistants hold no enforcement certificate: an officer opens the clue."),
                field="violation",
                code="assistant_not_certified",
            )
        raise PermissionDenied(
            _("Only an officer of this area may open an enforcement clue."),
            field="violation",
            code="forbidden",
        )
    if valid_certificate(actor, timezone.localdate()) is None:
        raise PermissionDenied(
            _("You hold no valid enforcement certificate today."), field="violation", code="no_certificate"
        )
    violation = ShopViolation.objects.select_for_update().select_related("shop").get(pk=violation.pk)
    if violation.clue_id:
        raise Conflict(
            _("An enforcement clue (%(number)s) was opened for this violation already.")
            % {"number": violation.clue.clue_number},
            field="violation",
            code="already_opened",
        )
    department = _officer_department(actor, shop.region)
    if department is None:
        raise PermissionDenied(
            _("You serve in no enforcement unit for this area."), field="violation", code="no_unit"
        )
    clue = case_register_clue(
        actor=actor,
        region=shop.region,
        department=department,
        source=ClueSource.PATROL,
        title=f"{violation.get_obligation_display()}：{violation.description}"[:200],
        source_reference=f"{_('frontage violation')} #{violation.pk} · {shop.name}"[:100],
        lng=shop.lng,
        lat=shop.lat,
        party_name=shop.operator_name or shop.name,
        party_address=shop.address,
        place=shop.address,
        facts=violation.description,
        violation_date=timezone.localdate(violation.created_at),
    )
    violation.clue = clue
    violation.save(update_fields=["clue"])
    log(actor, "violation.open_clue", violation, region=shop.region, summary=clue.clue_number, clue=clue.pk)
    return clue


@transaction.atomic
def operation_enforcement_case_link(
    *, actor: User, operation: JointOperation, enforcement_case: EnforcementCase
) -> JointOperation:
    """Link an enforcement case the joint operation produced (its clue or case number is shown both ways)."""
    require(actor, OPERATION_STAFF, operation.region)
    operation = JointOperation.objects.select_for_update().get(pk=operation.pk)
    if operation.status == JointOperation.Status.CANCELLED:
        raise ValidationError(_("The operation was cancelled."), field="operation")
    if not enforcement_case.region.path.startswith(operation.region.path):
        raise ValidationError(_("The enforcement case lies outside the operation's region."), field="case")
    operation.enforcement_cases.add(enforcement_case)
    log(actor, "operation.enforcement_link", operation, region=operation.region,
        summary=enforcement_case.clue_number, enforcement_case=enforcement_case.pk)  # fmt: skip
    return operation
