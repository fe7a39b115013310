"""State changes of the grid master data: unit grids, responsibility grids, components.

`actor=None` means the system itself (management commands, the demo loader); a person must be an
administrator. Every change writes a `GridEvent` and bumps the geocoder index version (the model signals do
that for single saves; bulk paths call `bump_index_version` themselves).
"""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.coords import to_storage
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.org.models import Department, Region, Role, User
from chengguan.org.scope import has_role

from . import geocoder
from .codes import validate_component_code, validate_unit_grid_code
from .geometry import area_m2, parse_area_geometry, to_geojson
from .models import Component, GridEvent, ResponsibilityGrid, UnitGrid


def require_grid_admin(actor: User | None) -> None:
    if actor is None:
        return
    if not (actor.is_superuser or has_role(actor, Role.ADMIN)):
        raise PermissionDenied(_("Only an administrator may change grids and components."))


def record(*, actor: User | None, action: str, obj, detail: dict | None = None, at=None) -> GridEvent:
    return GridEvent.objects.create(
        at=at or timezone.now(),
        actor=actor,
        action=action,
        object_type=obj._meta.model_name,
        object_code=obj.code,
        detail=detail or {},
    )


def full_clean(obj, *, exclude=None) -> None:
    """Model validation → our ValidationError naming the first offending field."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            raise ValidationError(" ".join(m for e in errors for m in e.messages), field=field) from exc
        raise ValidationError(" ".join(exc.messages)) from exc


# --- unit grids -------------------------------------------------------------------------------------------


@transaction.atomic
def unit_grid_create(
    *,
    actor: User | None,
    code: str,
    community: Region,
    geometry: dict,
    crs: str = "gcj02",
    land_use: str = "",
    management_level: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> UnitGrid:
    require_grid_admin(actor)
    validate_unit_grid_code(code, community)
    if UnitGrid.objects.filter(code=code).exists():
        raise Conflict(_("Unit grid %(code)s already exists.") % {"code": code}, field="code")
    geom = parse_area_geometry(geometry, crs=crs)
    grid = UnitGrid(
        code=code,
        community=community,
        geometry=to_geojson(geom),
        area_m2=round(area_m2(geom), 1),
        land_use=land_use,
        management_level=management_level,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    full_clean(grid)
    grid.save()
    record(actor=actor, action=GridEvent.Action.CREATED, obj=grid, detail={"area_m2": grid.area_m2})
    return grid


@transaction.atomic
def unit_grid_change_geometry(*, actor: User | None, unit_grid: UnitGrid, geometry: dict, crs: str = "gcj02"):
    require_grid_admin(actor)
    geom = parse_area_geometry(geometry, crs=crs)
    grid = UnitGrid.objects.select_for_update().get(pk=unit_grid.pk)
    before = grid.area_m2
    grid.geometry = to_geojson(geom)
    grid.area_m2 = round(area_m2(geom), 1)
    grid.save(update_fields=["geometry", "area_m2"])
    record(
        actor=actor,
        action=GridEvent.Action.UPDATED,
        obj=grid,
        detail={"field": "geometry", "area_m2_before": before, "area_m2": grid.area_m2},
    )
    return grid


@transaction.atomic
def unit_grid_classify(
    *, actor: User | None, unit_grid: UnitGrid, land_use: str, management_level: str
) -> UnitGrid:
    require_grid_admin(actor)
    grid = UnitGrid.objects.select_for_update().get(pk=unit_grid.pk)
    before = {"land_use": grid.land_use, "management_level": grid.management_level}
    grid.land_use, grid.management_level = land_use, management_level
    full_clean(grid)
    grid.save(update_fields=["land_use", "management_level"])
    record(
        actor=actor,
        action=GridEvent.Action.UPDATED,
        obj=grid,
        detail={"before": before, "land_use": land_use, "management_level": management_level},
    )
    return grid


@transaction.atomic
def unit_grid_retire(*, actor: User | None, unit_grid: UnitGrid, last_day: date) -> UnitGrid:
    """End a grid's validity (after a re-survey): it stays for history, the geocoder stops using it."""
    require_grid_admin(actor)
    grid = UnitGrid.objects.select_for_update().get(pk=unit_grid.pk)
    if grid.valid_to is not None and grid.valid_to <= last_day:
        raise Conflict(_("The grid is already retired."), field="last_day")
    if grid.valid_from and last_day < grid.valid_from:
        raise ValidationError(_("The last day is before the grid became valid."), field="last_day")
    grid.valid_to = last_day
    grid.save(update_fields=["valid_to"])
    record(actor=actor, action=GridEvent.Action.RETIRED, obj=grid, detail={"valid_to": last_day.isoformat()})
    return grid


# --- responsibility grids ---------------------------------------------------------------------------------


def _check_supervisors(supervisors) -> None:
    for user in supervisors:
        if not user.role_assignments.filter(role=Role.SUPERVISOR).exists():
            raise ValidationError(
                _("%(user)s has no supervisor role.") % {"user": user.username}, field="supervisors"
            )


@transaction.atomic
def responsibility_grid_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    region: Region,
    unit_grids,
    supervisors=(),
    squad: Department | None = None,
) -> ResponsibilityGrid:
    require_grid_admin(actor)
    unit_grids, supervisors = list(unit_grids), list(supervisors)
    if not code or len(code) > 32:
        raise ValidationError(_("A responsibility grid needs a code of at most 32 characters."), field="code")
    if ResponsibilityGrid.objects.filter(code=code).exists():
        raise Conflict(_("Responsibility grid %(code)s already exists.") % {"code": code}, field="code")
    if not unit_grids:
        raise ValidationError(
            _("A responsibility grid is a union of at least one unit grid."), field="unit_grids"
        )
    outside = [g.code for g in unit_grids if not g.community.path.startswith(region.path)]
    if outside:
        raise ValidationError(
            _("Unit grids outside %(region)s: %(codes)s")
            % {"region": region.name, "codes": ", ".join(outside[:5])},
            field="unit_grids",
        )
    _check_supervisors(supervisors)
    grid = ResponsibilityGrid.objects.create(code=code, name=name, region=region, squad=squad)
    grid.unit_grids.set(unit_grids)
    grid.supervisors.set(supervisors)
    record(
        actor=actor,
        action=GridEvent.Action.CREATED,
        obj=grid,
        detail={"unit_grids": len(unit_grids), "supervisors": [u.username for u in supervisors]},
    )
    return grid


@transaction.atomic
def responsibility_grid_assign(
    *, actor: User | None, responsibility_grid: ResponsibilityGrid, supervisors=None, squad=None
) -> ResponsibilityGrid:
    """Assign the supervisors (and/or the squad) who patrol a responsibility grid."""
    require_grid_admin(actor)
    grid = ResponsibilityGrid.objects.select_for_update().get(pk=responsibility_grid.pk)
    detail = {}
    if supervisors is not None:
        supervisors = list(supervisors)
        _check_supervisors(supervisors)
        grid.supervisors.set(supervisors)
        detail["supervisors"] = [u.username for u in supervisors]
    if squad is not None:
        grid.squad = squad
        grid.save(update_fields=["squad"])
        detail["squad"] = squad.code
    record(actor=actor, action=GridEvent.Action.UPDATED, obj=grid, detail=detail)
    return grid


@transaction.atomic
def responsibility_grid_set_unit_grids(
    *, actor: User | None, responsibility_grid: ResponsibilityGrid, unit_grids
) -> ResponsibilityGrid:
    require_grid_admin(actor)
    unit_grids = list(unit_grids)
    grid = (
        ResponsibilityGrid.objects.select_for_update().select_related("region").get(pk=responsibility_grid.pk)
    )
    if not unit_grids:
        raise ValidationError(
            _("A responsibility grid is a union of at least one unit grid."), field="unit_grids"
        )
    outside = [g.code for g in unit_grids if not g.community.path.startswith(grid.region.path)]
    if outside:
        raise ValidationError(
            _("Unit grids outside %(region)s: %(codes)s")
            % {"region": grid.region.name, "codes": ", ".join(outside[:5])},
            field="unit_grids",
        )
    grid.unit_grids.set(unit_grids)
    record(actor=actor, action=GridEvent.Action.UPDATED, obj=grid, detail={"unit_grids": len(unit_grids)})
    return grid


# --- components -------------------------------------------------------------------------------------------


def _next_component_code(prefix: str) -> str:
    last = (
        Component.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    seq = int(last[11:]) + 1 if last else 1
    if seq > 999_999:
        raise Conflict(_("No sequence numbers left for %(prefix)s.") % {"prefix": prefix}, field="code")
    return f"{prefix}{seq:06d}"


@transaction.atomic
def component_create(
    *,
    actor: User | None,
    type,
    lng: float,
    lat: float,
    crs: str = "gcj02",
    code: str | None = None,
    status: str = Component.Status.INTACT,
    owner: Department | None = None,
    maintainer: Department | None = None,
    surveyed_on: date | None = None,
    note: str = "",
) -> Component:
    """Register a component where it stands; its id is numbered in its district and type unless given."""
    require_grid_admin(actor)
    x, y = to_storage(lng, lat, crs)
    location = geocoder.locate(x, y)
    district = Region.objects.get(pk=location.district_id)
    if code:
        validate_component_code(code, adcode=district.adcode, type_code=type.code)
        if Component.objects.filter(code=code).exists():
            raise Conflict(_("Component %(code)s already exists.") % {"code": code}, field="code")
    else:
        code = _next_component_code(district.adcode + type.code)
    if status not in Component.Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": status}, field="status")
    component = Component(
        code=code,
        type=type,
        lng=x,
        lat=y,
        unit_grid_id=location.unit_grid_id,
        status=status,
        owner=owner,
        maintainer=maintainer,
        surveyed_on=surveyed_on or timezone.localdate(),
        note=note,
    )
    full_clean(component)
    try:
        with transaction.atomic():
            component.save()
    except IntegrityError as exc:  # a concurrent registration took the same number
        raise Conflict(_("Component %(code)s already exists.") % {"code": code}, field="code") from exc
    record(
        actor=actor,
        action=GridEvent.Action.CREATED,
        obj=component,
        detail={"unit_grid": location.unit_grid_code},
    )
    return component


@transaction.atomic
def component_change_status(
    *, actor: User | None, component: Component, status: str, on: date | None = None, note: str = ""
) -> Component:
    """完好 → 破损 / 丢失 / 废弃 / 移除 and back (a repaired component is intact again)."""
    require_grid_admin(actor)
    if status not in Component.Status.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": status}, field="status")
    obj = Component.objects.select_for_update().get(pk=component.pk)
    if obj.status == Component.Status.REMOVED:
        raise Conflict(_("A removed component cannot change any more."), field="status")
    if obj.status == status:
        raise Conflict(_("The component already has this status."), field="status")
    before = obj.status
    obj.status = status
    obj.changed_on = on or timezone.localdate()
    obj.save(update_fields=["status", "changed_on"])
    record(
        actor=actor,
        action=GridEvent.Action.STATUS,
        obj=obj,
        detail={"from": before, "to": status, "note": note},
    )
    return obj


# --- generation -------------------------------------------------------------------------------------------


@transaction.atomic
def unit_grids_generate(
    *,
    actor: User | None,
    region: Region,
    cell_area_m2: float = 10_000,
    min_fraction: float = 0.2,
    replace: bool = False,
    land_use: str = "",
    management_level: str = "",
) -> list[UnitGrid]:
    """Cover every community of `region` with generated unit grids (see generation.py)."""
    from django.db.models import ProtectedError

    from .generation import generate
    from .geometry import to_shape

    require_grid_admin(actor)
    communities = list(
        Region.objects.filter(path__startswith=region.path, level=Region.Level.COMMUNITY).order_by("code")
    )
    if not communities:
        raise ValidationError(
            _("%(region)s has no communities to cover.") % {"region": region.name}, field="region"
        )
    missing = [c.code for c in communities if not c.boundary]
    if missing:
        raise ValidationError(
            _("Communities without a boundary: %(codes)s") % {"codes": ", ".join(missing[:10])},
            field="region",
        )
    existing = UnitGrid.objects.filter(community__in=communities)
    if existing.exists():
        if not replace:
            raise Conflict(
                _("%(n)d unit grids already exist in %(region)s; pass replace to regenerate them.")
                % {"n": existing.count(), "region": region.name},
                field="region",
            )
        ResponsibilityGrid.unit_grids.through.objects.filter(unitgrid__in=existing).delete()
        try:
            existing.delete()
        except ProtectedError as exc:
            raise Conflict(
                _("Some unit grids are referenced by cases or other records; retire them instead."),
                field="region",
            ) from exc
    generated = generate(
        [(c, to_shape(c.boundary)) for c in communities], cell_area_m2=cell_area_m2, min_fraction=min_fraction
    )
    grids = UnitGrid.objects.bulk_create(
        [
            UnitGrid(
                code=g.code,
                community=g.community,
                geometry=to_geojson(g.geometry),
                area_m2=g.area_m2,
                land_use=land_use,
                management_level=management_level,
            )
            for g in generated
        ],
        batch_size=1000,
    )
    GridEvent.objects.create(
        actor=actor,
        action=GridEvent.Action.GENERATED,
        object_type="region",
        object_code=region.code,
        detail={"grids": len(grids), "cell_area_m2": cell_area_m2, "replaced": replace},
    )
    geocoder.bump_index_version()
    return grids
