"""/api/v1/illegal-buildings: the ledger (违建台账) with its filters and same-day rate, the acts on an item,
demolition projects' progress and a campaign's tally from the ledger."""

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from chengguan.core.errors import NotFound, ValidationError
from chengguan.enforcement.models import EnforcementCase
from chengguan.org.models import Region
from chengguan.patrol.models import Campaign

from . import selectors
from .access import may, require_view
from .models import DemolitionProject, IllegalBuilding
from .services import (
    building_assign,
    building_demolish,
    building_link_case,
    building_open_clue,
    building_register,
    building_retain,
    building_stop,
)
from .workflow import VIEWERS

API_PREFIX = "/illegal-buildings"
router = Router(tags=["illegal-buildings"])


class IllegalBuildingIn(Schema):
    region: str
    address: str
    lng: float
    lat: float
    area_m2: Decimal
    floors: int = 1
    households: int = 1
    use: str
    category: str
    source: str
    discovered_at: datetime | None = None
    party_name: str = ""
    description: str = ""
    project: str = ""
    campaign: str = ""


class IllegalBuildingOut(Schema):
    id: int
    number: str
    region: str
    address: str
    lng: float
    lat: float
    area_m2: Decimal
    floors: int
    households: int
    use: str
    category: str
    source: str
    status: str
    discovered_at: str
    stopped_at: str | None
    handled_at: str | None
    same_day: bool
    demolished_on: date | None
    demolished_area_m2: Decimal | None
    project: str | None
    campaign: str | None
    enforcement_cases: list[str]


class IllegalBuildingListOut(Schema):
    count: int
    same_day_new: int
    same_day_done: int
    same_day_rate: float | None
    results: list[IllegalBuildingOut]


class BuildingNoteIn(Schema):
    note: str = ""


class BuildingReasonIn(Schema):
    reason: str = ""


class BuildingDemolishIn(Schema):
    demolished_on: date
    area_m2: Decimal | None = None
    note: str = ""


class BuildingCaseIn(Schema):
    case: str  # clue or case number


class BuildingAssignIn(Schema):
    project: str = ""
    campaign: str = ""


class DemolitionProjectOut(Schema):
    id: int
    code: str
    name: str
    region: str
    starts_on: date
    due_on: date
    state: str
    target_households: int
    target_area_m2: Decimal
    households_demolished: int
    area_demolished_m2: Decimal
    items: int
    items_demolished: int


class CampaignTallyOut(Schema):
    campaign: str
    items: int
    area_m2: Decimal
    in_ledger: int
    discovered: int
    target_items: int | None
    target_area_m2: Decimal | None
    same_day_new: int
    same_day_done: int
    same_day_rate: float | None


def _iso(v):
    return v.isoformat() if v else None


def _out(b: IllegalBuilding) -> dict:
    return {
        "id": b.pk, "number": b.number, "region": b.region.code, "address": b.address, "lng": b.lng, "lat": b.lat,
        "area_m2": b.area_m2, "floors": b.floors, "households": b.households, "use": b.use, "category": b.category,
        "source": b.source, "status": b.status, "discovered_at": b.discovered_at.isoformat(),
        "stopped_at": _iso(b.stopped_at), "handled_at": _iso(b.handled_at), "same_day": b.same_day,
        "demolished_on": b.demolished_on, "demolished_area_m2": b.demolished_area_m2,
        "project": b.project.code if b.project_id else None, "campaign": b.campaign.code if b.campaign_id else None,
        "enforcement_cases": [c.number or c.clue_number for c in b.enforcement_cases.all()],
    }


def _project_out(p: DemolitionProject) -> dict:
    prog = selectors.project_progress(p)
    return {"id": p.pk, "code": p.code, "name": p.name, "region": p.region.code, "starts_on": p.starts_on,
            "due_on": p.due_on, "state": p.state, "target_households": p.target_households,
            "target_area_m2": p.target_area_m2, "households_demolished": prog.households,
            "area_demolished_m2": prog.area, "items": prog.items, "items_demolished": prog.demolished}


def _lookup(model, code: str, field: str, label: str):
    if not code:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise ValidationError(_("No %(what)s with code %(code)s.") % {"what": label, "code": code}, field=field)
    return obj


def _get(request, building_id: int) -> IllegalBuilding:
    require_view(request.user)
    b = selectors.buildings(request.user).filter(pk=building_id).first()
    if b is None:
        raise NotFound(_("No such structure in the ledger."), field="building")
    return b


@router.get("", response=IllegalBuildingListOut, summary="The ledger in your area, with the same-day rate")
def list_buildings(request, status: str = "", category: str = "", use: str = "", source: str = "", region: str = "",
                   project: str = "", q: str = "", since: date | None = None, until: date | None = None,
                   limit: int = 200):
    rows = selectors.buildings(request.user, status=status, category=category, use=use, source=source, region=region,
                               project=project, q=q, since=since, until=until)
    rate = selectors.same_day_rate(rows)
    page = rows.select_related("campaign").prefetch_related("enforcement_cases")[: max(1, min(limit, 1000))]
    return {"count": rows.count(), "same_day_new": rate.new, "same_day_done": rate.same_day,
            "same_day_rate": rate.rate, "results": [_out(b) for b in page]}


@router.post("", response={201: IllegalBuildingOut}, summary="Enter a structure in the ledger")
def create_building(request, body: IllegalBuildingIn):
    region = Region.objects.filter(code=body.region).first()
    if region is None:
        raise ValidationError(_("No region with code %(code)s.") % {"code": body.region}, field="region")
    b = building_register(
        actor=request.user, region=region, address=body.address, lng=body.lng, lat=body.lat, area_m2=body.area_m2,
        floors=body.floors, households=body.households, use=body.use, category=body.category, source=body.source,
        discovered_at=body.discovered_at, party_name=body.party_name, description=body.description,
        project=_lookup(DemolitionProject, body.project, "project", _("demolition project")),
        campaign=_lookup(Campaign, body.campaign, "campaign", _("campaign")),
    )
    return Status(201, _out(b))


@router.get("/projects", response=list[DemolitionProjectOut], summary="Demolition projects with their progress")
def list_projects(request):
    return [_project_out(p) for p in selectors.projects(request.user)]


@router.get("/campaigns/{campaign_id}", response=CampaignTallyOut,
            summary="A campaign's demolitions counted from the ledger")
def campaign_tally(request, campaign_id: int):
    require_view(request.user)
    c = Campaign.objects.filter(pk=campaign_id).select_related("region").first()
    if c is None or not may(request.user, VIEWERS, c.region):
        raise NotFound(_("No such campaign."), field="campaign")
    t = selectors.campaign_tally(c)
    return {"campaign": c.code, "items": t["items"], "area_m2": t["area_m2"], "in_ledger": t["in_ledger"],
            "discovered": t["discovered"], "target_items": t["target_items"], "target_area_m2": t["target_area_m2"],
            "same_day_new": t["same_day"].new, "same_day_done": t["same_day"].same_day,
            "same_day_rate": t["same_day"].rate}


@router.get("/{building_id}", response=IllegalBuildingOut, summary="One structure of the ledger")
def get_building(request, building_id: int):
    return _out(_get(request, building_id))


@router.post("/{building_id}/stop", response=IllegalBuildingOut, summary="Stopped on site (立即制止)")
def stop(request, building_id: int, body: BuildingNoteIn):
    return _out(building_stop(actor=request.user, building=_get(request, building_id), note=body.note))


@router.post("/{building_id}/clue", response=IllegalBuildingOut, summary="Open an enforcement clue and link it")
def clue(request, building_id: int):
    b = _get(request, building_id)
    building_open_clue(actor=request.user, building=b)
    return _out(IllegalBuilding.objects.get(pk=b.pk))


@router.post("/{building_id}/cases", response=IllegalBuildingOut, summary="Link an enforcement case (by number)")
def link_case(request, building_id: int, body: BuildingCaseIn):
    b = _get(request, building_id)
    case = EnforcementCase.objects.filter(clue_number=body.case).first() or EnforcementCase.objects.filter(
        number=body.case).exclude(number="").first()
    if case is None:
        raise ValidationError(_("No such enforcement case in your area."), field="case")
    return _out(building_link_case(actor=request.user, building=b, case=case))


@router.post("/{building_id}/retain", response=IllegalBuildingOut, summary="Retain, awaiting treatment")
def retain(request, building_id: int, body: BuildingReasonIn):
    return _out(building_retain(actor=request.user, building=_get(request, building_id), reason=body.reason))


@router.post("/{building_id}/demolish", response=IllegalBuildingOut, summary="Demolished: day and area")
def demolish(request, building_id: int, body: BuildingDemolishIn):
    return _out(building_demolish(actor=request.user, building=_get(request, building_id),
                                  demolished_on=body.demolished_on, area_m2=body.area_m2, note=body.note))


@router.post("/{building_id}/assign", response=IllegalBuildingOut, summary="Put in a project or campaign")
def assign(request, building_id: int, body: BuildingAssignIn):
    return _out(building_assign(
        actor=request.user, building=_get(request, building_id),
        project=_lookup(DemolitionProject, body.project, "project", _("demolition project")),
        campaign=_lookup(Campaign, body.campaign, "campaign", _("campaign"))))
