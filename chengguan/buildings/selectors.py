"""Reads of the ledger in the user's scope: filtered lists, the same-day rate, project progress and campaign tallies."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404

from .access import require_view, scope
from .models import Category, DemolitionProject, IllegalBuilding, LedgerTarget, Status

# catalogue matters whose campaign targets the ledger fulfils (GB/T 47678.5: 06001 私搭乱建)
LEDGER_MATTERS = {"06001"}


def buildings(user, *, status: str = "", category: str = "", use: str = "", source: str = "", region: str = "",
              project: str = "", q: str = "", since: date | None = None, until: date | None = None):
    require_view(user)
    rows = IllegalBuilding.objects.filter(scope(user)).select_related("region", "project")
    filters = {"status": status, "category": category, "use": use, "source": source,
               "region__code": region, "project__code": project}
    rows = rows.filter(**{k: v for k, v in filters.items() if v})
    if since:
        rows = rows.filter(discovered_on__gte=since)
    if until:
        rows = rows.filter(discovered_on__lte=until)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(address__icontains=q) | Q(party_name__icontains=q))
    return rows


def building(user, pk: int) -> IllegalBuilding:
    require_view(user)
    try:
        return IllegalBuilding.objects.filter(scope(user)).select_related("region", "project", "campaign").get(pk=pk)
    except IllegalBuilding.DoesNotExist as exc:
        raise Http404 from exc


def _m2(value) -> Decimal:
    """A sum of areas to the square centimetre (SQLite sums decimals as floats)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass
class SameDay:
    new: int
    same_day: int

    @property
    def rate(self) -> float | None:
        return self.same_day / self.new if self.new else None


def same_day_rate(rows) -> SameDay:
    """当日发现、立即制止、当日查处: of the new structures in `rows`, the share stopped and taken up by enforcement on
    the day they were found."""
    agg = rows.filter(category=Category.NEW).aggregate(n=Count("pk"), s=Count("pk", filter=Q(same_day=True)))
    return SameDay(agg["n"] or 0, agg["s"] or 0)


def totals(rows) -> dict:
    agg = rows.aggregate(
        n=Count("pk"), area=Sum("area_m2"),
        demolished=Count("pk", filter=Q(status=Status.DEMOLISHED)),
        demolished_area=Sum("demolished_area_m2", filter=Q(status=Status.DEMOLISHED)),
        stock=Count("pk", filter=Q(category=Category.STOCK)), new=Count("pk", filter=Q(category=Category.NEW)),
        retained=Count("pk", filter=Q(status=Status.RETAINED)),
    )
    out = {k: (v or 0) for k, v in agg.items()}
    out["area"], out["demolished_area"] = _m2(out["area"]), _m2(out["demolished_area"])
    return out


@dataclass
class Progress:
    households: int
    area: Decimal
    items: int
    demolished: int
    target_households: int
    target_area: Decimal

    @property
    def household_share(self) -> float:
        return self.households / self.target_households if self.target_households else 0.0

    @property
    def area_share(self) -> float:
        return float(self.area / self.target_area) if self.target_area else 0.0


def project_progress(project: DemolitionProject) -> Progress:
    rows = project.buildings.all()
    done = rows.filter(status=Status.DEMOLISHED).aggregate(h=Sum("households"), a=Sum("demolished_area_m2"),
                                                           n=Count("pk"))
    return Progress(done["h"] or 0, _m2(done["a"]), rows.count(), done["n"] or 0,
                    project.target_households, project.target_area_m2)


def projects(user):
    require_view(user)
    return DemolitionProject.objects.filter(scope(user)).select_related("region", "campaign")


def project(user, pk: int) -> DemolitionProject:
    try:
        return projects(user).get(pk=pk)
    except DemolitionProject.DoesNotExist as exc:
        raise Http404 from exc


def campaign_tally(campaign) -> dict:
    """What the ledger contributes to a campaign: structures demolished within its dates (items and m²), against
    its ledger target and against its catalogue targets for 私搭乱建."""
    rows = IllegalBuilding.objects.filter(campaign=campaign)
    done = rows.filter(status=Status.DEMOLISHED, demolished_on__gte=campaign.starts_on,
                       demolished_on__lte=campaign.ends_on)
    agg = done.aggregate(n=Count("pk"), a=Sum("demolished_area_m2"))
    target = LedgerTarget.objects.filter(campaign=campaign).first()
    matters = [{"matter": t.matter.name, "code": t.matter.code, "target": t.target_count, "achieved": agg["n"] or 0}
               for t in campaign.targets.select_related("matter") if t.matter.code in LEDGER_MATTERS]
    return {
        "items": agg["n"] or 0, "area_m2": _m2(agg["a"]), "in_ledger": rows.count(),
        "discovered": rows.filter(discovered_on__gte=campaign.starts_on, discovered_on__lte=campaign.ends_on).count(),
        "target_items": target.items if target else None, "target_area_m2": target.area_m2 if target else None,
        "matter_targets": matters, "same_day": same_day_rate(rows.filter(discovered_on__gte=campaign.starts_on,
                                                                         discovered_on__lte=campaign.ends_on)),
    }
