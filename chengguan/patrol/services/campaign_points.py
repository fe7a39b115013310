"""The places a campaign targets (重点点位), placed on the map from the address gazetteer or by a click."""

from django.db import transaction
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.core.errors import ValidationError
from chengguan.grids import geocoder
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Region, User

from ..access import MANAGERS, require
from ..models import Campaign, CampaignPoint
from ._base import log, require_text

MAX_POINTS = 200


def _point(lng, lat) -> tuple[float, float]:
    try:
        x, y = float(lng), float(lat)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Pick the place on the map first."), field="lng") from exc
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise ValidationError(_("Pick the place on the map first."), field="lng")
    return x, y


@transaction.atomic
def campaign_point_add(*, actor: User, campaign: Campaign, name: str, lng, lat, address: str = "",
                       matter: MatterType | None = None, note: str = "") -> CampaignPoint:
    """Add a target place (GCJ-02 point) inside the campaign's region; campaign managers only."""
    require(actor, MANAGERS, campaign.region)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.RUNNING):
        raise ValidationError(_("The campaign is over."), field="campaign")
    name = require_text(name, "name", max_length=100)
    x, y = _point(lng, lat)
    try:
        found = geocoder.locate(x, y, "gcj02")
    except geocoder.OutsideCity as exc:
        raise ValidationError(_("The place lies outside the city's grids."), field="lng") from exc
    community = Region.objects.filter(pk=found.community_id).only("path").first()
    if community is None or not community.path.startswith(campaign.region.path):
        raise ValidationError(_("The place lies outside the campaign's region."), field="lng")
    if matter is not None and not campaign.targets.filter(matter=matter).exists():
        raise ValidationError(_("The campaign has no target for this matter."), field="matter")
    if campaign.points.count() >= MAX_POINTS:
        raise ValidationError(_("A campaign has at most %(n)d places.") % {"n": MAX_POINTS}, field="name")
    point = CampaignPoint.objects.create(
        campaign=campaign, name=name, address=(address or "").strip()[:255], lng=x, lat=y,
        unit_grid=UnitGrid.objects.filter(pk=found.unit_grid_id).first(), matter=matter,
        note=(note or "").strip()[:200], added_by=actor,
    )
    log(actor, "campaign.point", campaign, region=campaign.region, summary=name)
    return point


@transaction.atomic
def campaign_point_remove(*, actor: User, point: CampaignPoint) -> None:
    require(actor, MANAGERS, point.campaign.region)
    log(actor, "campaign.point_removed", point.campaign, region=point.campaign.region, summary=point.name)
    point.delete()
