"""Joint operations (联合执法行动) and campaigns (专项整治 / 百日攻坚) with their follow-up checks (回头看)."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, Region, User
from chengguan.org.selectors import valid_certificate

from .. import workflow
from ..access import INSPECTORS, MANAGERS, OPERATION_STAFF, may, require
from ..models import Campaign, CampaignTarget, FollowUpCheck, JointOperation, JointSquad, OperationResult
from ._base import log, require_choice, require_text


def _require_operation_staff(actor: User, region: Region) -> None:
    """Managers, or officers holding a certificate valid today: an expired certificate blocks at once."""
    require(actor, OPERATION_STAFF, region)
    if not may(actor, MANAGERS, region) and valid_certificate(actor, timezone.localdate()) is None:
        raise PermissionDenied(
            _("Your enforcement certificate is not valid today."), code="certificate_invalid"
        )


def _next_code(prefix: str, model) -> str:
    year = timezone.localdate().year
    stem = f"{prefix}{year}"
    last = (
        model.objects.filter(code__startswith=stem).order_by("-code").values_list("code", flat=True).first()
    )
    seq = int(last[len(stem) :]) + 1 if last and last[len(stem) :].isdigit() else 1
    return f"{stem}{seq:04d}"


def _check_in_region(region: Region, *, campaign: Campaign | None, squads, unit_grids) -> None:
    if campaign is not None and not region.path.startswith(campaign.region.path):
        raise ValidationError(_("The operation lies outside the campaign's region."), field="campaign")
    if campaign is not None and campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.RUNNING):
        raise ValidationError(_("The campaign is over."), field="campaign")
    for squad in squads:
        if not squad.region.path.startswith(region.path) and not region.path.startswith(squad.region.path):
            raise ValidationError(_("A squad belongs to another region."), field="squads")
    for grid in unit_grids:
        if not grid.community.path.startswith(region.path):
            raise ValidationError(_("A unit grid lies outside the region."), field="unit_grids")


def _create_operation(actor, *, kind, status, title, region, campaign, squads, unit_grids, bodies, **fields):
    title = require_text(title, "title", max_length=150)
    _check_in_region(region, campaign=campaign, squads=squads, unit_grids=unit_grids)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                operation = JointOperation.objects.create(
                    code=_next_code("LH", JointOperation),
                    kind=kind,
                    status=status,
                    title=title,
                    region=region,
                    campaign=campaign,
                    created_by=actor,
                    **fields,
                )
            break
        except IntegrityError:  # two operations created at the same moment took the same number
            continue
    else:
        raise ValidationError(_("Could not number the operation; try again."), field="title")
    operation.bodies.set(bodies)
    operation.squads.set(squads)
    operation.unit_grids.set(unit_grids)
    return operation


@transaction.atomic
def operation_plan(
    *,
    actor: User,
    title: str,
    region: Region,
    planned_start: datetime,
    planned_end: datetime,
    area: str = "",
    lead_department: Department | None = None,
    bodies: list[Department] = (),
    squads: list[JointSquad] = (),
    unit_grids: list[UnitGrid] = (),
    campaign: Campaign | None = None,
) -> JointOperation:
    _require_operation_staff(actor, region)
    if planned_end <= planned_start:
        raise ValidationError(_("The end is before the start."), field="planned_end")
    operation = _create_operation(
        actor,
        kind=JointOperation.Kind.PLANNED,
        status=JointOperation.Status.PLANNED,
        title=title,
        region=region,
        campaign=campaign,
        squads=squads,
        unit_grids=unit_grids,
        bodies=bodies,
        area=area.strip(),
        lead_department=lead_department,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    log(actor, "operation.plan", operation, region=region, summary=operation.title)
    return operation


@transaction.atomic
def operation_start_ad_hoc(
    *,
    actor: User,
    title: str,
    region: Region,
    area: str = "",
    lead_department: Department | None = None,
    bodies: list[Department] = (),
    squads: list[JointSquad] = (),
    unit_grids: list[UnitGrid] = (),
    campaign: Campaign | None = None,
) -> JointOperation:
    """An operation started on the spot (e.g. a squad meets a night market blocking a road)."""
    _require_operation_staff(actor, region)
    operation = _create_operation(
        actor,
        kind=JointOperation.Kind.AD_HOC,
        status=JointOperation.Status.IN_PROGRESS,
        title=title,
        region=region,
        campaign=campaign,
        squads=squads,
        unit_grids=unit_grids,
        bodies=bodies,
        area=area.strip(),
        lead_department=lead_department,
        started_at=timezone.now(),
    )
    log(actor, "operation.start_ad_hoc", operation, region=region, summary=operation.title)
    return operation


def _transition(actor, operation, target, **changes) -> JointOperation:
    _require_operation_staff(actor, operation.region)
    operation = JointOperation.objects.select_for_update().get(pk=operation.pk)
    workflow.check("operation", operation.status, target)
    operation.status = target
    for name, value in changes.items():
        setattr(operation, name, value)
    operation.save(update_fields=["status", *changes])
    return operation


@transaction.atomic
def operation_start(*, actor: User, operation: JointOperation) -> JointOperation:
    operation = _transition(actor, operation, JointOperation.Status.IN_PROGRESS, started_at=timezone.now())
    log(actor, "operation.start", operation, region=operation.region)
    return operation


@transaction.atomic
def operation_cancel(*, actor: User, operation: JointOperation, reason: str) -> JointOperation:
    reason = require_text(reason, "reason", max_length=200)
    operation = _transition(actor, operation, JointOperation.Status.CANCELLED)
    log(actor, "operation.cancel", operation, region=operation.region, summary=reason)
    return operation


def _count(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(_("Enter a whole number, zero or more."), field=field)
    return value


@transaction.atomic
def operation_complete(
    *,
    actor: User,
    operation: JointOperation,
    staff_count: int,
    problems_found: int = 0,
    cases_opened: int = 0,
    penalties: int = 0,
    fines_yuan=0,
    items_seized: int = 0,
    results: dict[MatterType, int] | None = None,
    summary: str = "",
) -> JointOperation:
    """Close an operation with its results; per-matter results (e.g. 30 billboards removed) count towards the
    campaign the operation belongs to."""
    counts = {
        name: _count(value, name)
        for name, value in {
            "staff_count": staff_count,
            "problems_found": problems_found,
            "cases_opened": cases_opened,
            "penalties": penalties,
            "items_seized": items_seized,
        }.items()
    }
    try:
        fines = Decimal(str(fines_yuan))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter an amount."), field="fines_yuan") from exc
    if fines < 0 or fines >= Decimal("1e10"):
        raise ValidationError(_("Enter an amount."), field="fines_yuan")
    results = {m: _count(n, "results") for m, n in (results or {}).items() if n}
    operation = _transition(
        actor,
        operation,
        JointOperation.Status.COMPLETED,
        ended_at=timezone.now(),
        fines_yuan=fines,
        summary=summary.strip(),
        **counts,
    )
    OperationResult.objects.bulk_create(
        OperationResult(operation=operation, matter=m, count=n) for m, n in results.items()
    )
    log(
        actor,
        "operation.complete",
        operation,
        region=operation.region,
        summary=operation.title,
        results={m.code: n for m, n in results.items()},
    )
    return operation


# --- campaigns ---------------------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    region: Region,
    starts_on: date,
    ends_on: date,
    targets: dict[MatterType, int],
    kind: str = Campaign.Kind.SPECIAL,
    area: str = "",
    lead_department: Department | None = None,
    description: str = "",
    unit_grids: list[UnitGrid] = (),
) -> Campaign:
    """A time-boxed campaign with targets per matter, e.g. 百日攻坚: 800 illegal billboards in 100 days."""
    require(actor, MANAGERS, region)
    require_choice(kind, Campaign.Kind, "kind")
    if ends_on < starts_on:
        raise ValidationError(_("The end is before the start."), field="ends_on")
    if not targets:
        raise ValidationError(_("Give at least one target."), field="targets")
    for grid in unit_grids:
        if not grid.community.path.startswith(region.path):
            raise ValidationError(_("A unit grid lies outside the region."), field="unit_grids")
    campaign = Campaign.objects.create(
        code=_next_code("ZX", Campaign),
        name=require_text(name, "name", max_length=150),
        kind=kind,
        region=region,
        area=area.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        lead_department=lead_department,
        description=description.strip(),
        created_by=actor,
    )
    campaign.unit_grids.set(unit_grids)
    for matter, count in targets.items():
        _set_target(campaign, matter, count)
    log(actor, "campaign.create", campaign, region=region, summary=campaign.name)
    return campaign


def _set_target(campaign, matter, count) -> CampaignTarget:
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        raise ValidationError(_("A target is a whole number above zero."), field="targets")
    target, _created = CampaignTarget.objects.update_or_create(
        campaign=campaign, matter=matter, defaults={"target_count": count}
    )
    return target


@transaction.atomic
def campaign_target_set(
    *, actor: User, campaign: Campaign, matter: MatterType, target_count: int
) -> CampaignTarget:
    require(actor, MANAGERS, campaign.region)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.RUNNING):
        raise ValidationError(_("The campaign is over."), field="campaign")
    target = _set_target(campaign, matter, target_count)
    log(actor, "campaign.target", campaign, region=campaign.region, summary=f"{matter.code} {target_count}")
    return target


def _campaign_transition(actor, campaign, target) -> Campaign:
    require(actor, MANAGERS, campaign.region)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    workflow.check("campaign", campaign.status, target)
    campaign.status = target
    campaign.save(update_fields=["status"])
    log(actor, f"campaign.{target}", campaign, region=campaign.region, summary=campaign.name)
    return campaign


@transaction.atomic
def campaign_start(*, actor: User, campaign: Campaign) -> Campaign:
    return _campaign_transition(actor, campaign, Campaign.Status.RUNNING)


@transaction.atomic
def campaign_finish(*, actor: User, campaign: Campaign) -> Campaign:
    return _campaign_transition(actor, campaign, Campaign.Status.FINISHED)


@transaction.atomic
def campaign_cancel(*, actor: User, campaign: Campaign) -> Campaign:
    return _campaign_transition(actor, campaign, Campaign.Status.CANCELLED)


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    campaign: Campaign,
    checked_on: date,
    places_checked: int,
    relapses: int = 0,
    matter: MatterType | None = None,
    unit_grid: UnitGrid | None = None,
    location: str = "",
    note: str = "",
) -> FollowUpCheck:
    """Record a follow-up check (回头看): how many fixed places were checked, how many had relapsed."""
    require(actor, INSPECTORS, campaign.region)
    if campaign.status not in (Campaign.Status.RUNNING, Campaign.Status.FINISHED):
        raise ValidationError(_("Follow-up checks are for running or finished campaigns."), field="campaign")
    if checked_on < campaign.starts_on:
        raise ValidationError(_("The check is before the campaign started."), field="checked_on")
    if checked_on > timezone.localdate():
        raise ValidationError(_("The check date is in the future."), field="checked_on")
    places_checked = _count(places_checked, "places_checked")
    if places_checked == 0:
        raise ValidationError(_("Check at least one place."), field="places_checked")
    relapses = _count(relapses, "relapses")
    if relapses > places_checked:
        raise ValidationError(_("More relapses than places checked."), field="relapses")
    if matter is not None and not campaign.targets.filter(matter=matter).exists():
        raise ValidationError(_("The campaign has no target for this matter."), field="matter")
    if unit_grid is not None and not unit_grid.community.path.startswith(campaign.region.path):
        raise ValidationError(_("The unit grid lies outside the campaign's region."), field="unit_grid")
    check = FollowUpCheck.objects.create(
        campaign=campaign,
        checked_on=checked_on,
        checker=actor,
        matter=matter,
        unit_grid=unit_grid,
        location=location.strip()[:200],
        places_checked=places_checked,
        relapses=relapses,
        note=note.strip(),
    )
    log(
        actor,
        "campaign.follow_up",
        campaign,
        region=campaign.region,
        checked=places_checked,
        relapses=relapses,
    )
    return check
