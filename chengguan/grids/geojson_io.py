"""GeoJSON import and export of regions, unit grids and responsibility grids (`chengguan grids import/export`).

A file is a FeatureCollection. Its kind comes from `--kind`, else from the foreign member
`"chengguan": {"kind": ..., "crs": ...}` that our exports write, else from the first feature's properties.
An import is all or nothing: every feature is validated first and any error (reported with its feature
number) leaves the database untouched.

Properties per kind:
* regions: code (12 digits), name, level (optional: derived from the code), population, parent (optional)
* unit_grids: code (15 digits; the community is its first 12), land_use, management_level,
  valid_from, valid_to (YYYY-MM-DD)
* responsibility_grids: code, name, region (12-digit code), unit_grids (list of codes), supervisors
  (usernames), squad (department code); the geometry is ignored on import (it is the union of the grids)
"""

import json
from dataclasses import dataclass, field
from datetime import date

import shapely
from django.db import transaction
from django.db.models import Q

from chengguan.core.coords import check_crs
from chengguan.core.errors import DomainError
from chengguan.org.models import Department, Region, Role, User

from .codes import validate_unit_grid_code
from .geocoder import bump_index_version, geometries_from_geojson
from .geometry import area_m2, parse_area_geometry, reproject_from_storage, to_geojson
from .models import GridEvent, ResponsibilityGrid, UnitGrid

KINDS = ("regions", "unit_grids", "responsibility_grids")


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    codes: list = field(default_factory=list)


# --- export -----------------------------------------------------------------------------------------------


def _collection(kind: str, crs: str, features: list) -> dict:
    return {"type": "FeatureCollection", "chengguan": {"kind": kind, "crs": crs}, "features": features}


def geometry_out(geojson: dict | None, crs: str):
    if not geojson:
        return None
    if crs == "gcj02":
        return geojson
    return to_geojson(reproject_from_storage(shapely.geometry.shape(geojson), crs))


def export(kind: str, *, region: Region | None = None, crs: str = "gcj02") -> dict:
    crs = check_crs(crs)
    if kind == "regions":
        qs = Region.objects.select_related("parent").order_by("code")
        if region is not None:
            qs = qs.filter(path__startswith=region.path)
        features = [
            {
                "type": "Feature",
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "parent": r.parent.code if r.parent else None,
                    "population": r.population,
                    "area_m2": r.area_m2,
                },
                "geometry": geometry_out(r.boundary, crs),
            }
            for r in qs
        ]
    elif kind == "unit_grids":
        qs = UnitGrid.objects.order_by("code")
        if region is not None:
            qs = qs.filter(community__path__startswith=region.path)
        features = [
            {
                "type": "Feature",
                "properties": {
                    "code": g.code,
                    "area_m2": g.area_m2,
                    "land_use": g.land_use,
                    "management_level": g.management_level,
                    "valid_from": g.valid_from.isoformat() if g.valid_from else None,
                    "valid_to": g.valid_to.isoformat() if g.valid_to else None,
                },
                "geometry": geometry_out(g.geometry, crs),
            }
            for g in qs
        ]
    elif kind == "responsibility_grids":
        features = _export_responsibility(region, crs)
    else:
        raise DomainError(f"Unknown kind {kind!r}; use one of {', '.join(KINDS)}.", field="kind")
    return _collection(kind, crs, features)


def _export_responsibility(region, crs):
    qs = ResponsibilityGrid.objects.select_related("region", "squad").order_by("code")
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    qs = qs.prefetch_related("supervisors")
    members: dict[int, list] = {}
    through = ResponsibilityGrid.unit_grids.through
    for rg_id, code, geometry in through.objects.filter(responsibilitygrid__in=qs).values_list(
        "responsibilitygrid_id", "unitgrid__code", "unitgrid__geometry"
    ):
        members.setdefault(rg_id, []).append((code, geometry))
    features = []
    for rg in qs:
        grids = sorted(members.get(rg.pk, []))
        geom = None
        if grids:
            union = shapely.coverage_union_all(geometries_from_geojson([g for _c, g in grids]))
            geom = to_geojson(reproject_from_storage(union, crs))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": rg.code,
                    "name": rg.name,
                    "region": rg.region.code,
                    "unit_grids": [c for c, _g in grids],
                    "supervisors": sorted(u.username for u in rg.supervisors.all()),
                    "squad": rg.squad.code if rg.squad else None,
                },
                "geometry": geom,
            }
        )
    return features


# --- import -----------------------------------------------------------------------------------------------


def read_collection(text: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFailed(["the file is not a GeoJSON FeatureCollection"])
    return data


def detect_kind(data: dict) -> str | None:
    kind = (data.get("chengguan") or {}).get("kind")
    if kind in KINDS:
        return kind
    for feature in data["features"][:1]:
        props = (feature or {}).get("properties") or {}
        if "unit_grids" in props:
            return "responsibility_grids"
        code = str(props.get("code", ""))
        if len(code) == 12:
            return "regions"
        if len(code) == 15:
            return "unit_grids"
    return None


def import_collection(
    data: dict, *, kind: str | None = None, crs: str | None = None, actor=None, dry_run: bool = False
) -> ImportResult:
    kind = kind or detect_kind(data)
    if kind not in KINDS:
        raise ImportFailed([f"cannot tell what the file holds; pass --kind ({', '.join(KINDS)})"])
    crs = check_crs(crs or (data.get("chengguan") or {}).get("crs") or "gcj02")
    importer = {"regions": _import_regions, "unit_grids": _import_unit_grids}.get(
        kind, _import_responsibility
    )
    with transaction.atomic():
        result = importer(data["features"], crs=crs, actor=actor)
        if dry_run:
            transaction.set_rollback(True)
        else:
            GridEvent.objects.create(
                actor=actor,
                action=GridEvent.Action.IMPORTED,
                object_type=kind,
                object_code=f"{len(result.codes)} features",
                detail={"created": result.created, "updated": result.updated, "codes": result.codes[:1000]},
            )
            bump_index_version()
    return result


def _props(feature, n, errors):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.append(f"feature {n}: not a GeoJSON Feature")
        return None
    props = feature.get("properties") or {}
    if not isinstance(props, dict) or not props.get("code"):
        errors.append(f"feature {n}: properties.code is missing")
        return None
    return props


def _date(value, n, name, errors):
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"feature {n}: {name} {value!r} is not a date (YYYY-MM-DD)")
        return None


def _geometry(feature, n, code, crs, errors, *, required=True):
    geometry = feature.get("geometry")
    if geometry is None and not required:
        return None
    try:
        return parse_area_geometry(geometry, crs=crs)
    except DomainError as exc:
        errors.append(f"feature {n} ({code}): {exc.message}")
        return None


REGION_LEVELS = {"city": 0, "district": 1, "street": 2, "community": 3}


def level_from_code(code: str) -> str:
    if code[4:] == "00000000":
        return "city"
    if code[6:] == "000000":
        return "district"
    if code[9:] == "000":
        return "street"
    return "community"


def parent_code(code: str, level: str) -> str | None:
    return {
        "district": code[:4] + "00000000",
        "street": code[:6] + "000000",
        "community": code[:9] + "000",
    }.get(level)


def _import_regions(features, *, crs, actor):
    errors, items = [], []
    seen = set()
    for n, feature in enumerate(features, start=1):
        props = _props(feature, n, errors)
        if props is None:
            continue
        code = str(props["code"])
        if not (len(code) == 12 and code.isdigit()):
            errors.append(f"feature {n}: region code {code!r} is not 12 digits")
            continue
        if code in seen:
            errors.append(f"feature {n}: region {code} appears twice")
            continue
        seen.add(code)
        level = props.get("level") or level_from_code(code)
        if level not in REGION_LEVELS or level != level_from_code(code):
            errors.append(f"feature {n} ({code}): level {level!r} does not match the code")
            continue
        if not props.get("name"):
            errors.append(f"feature {n} ({code}): name is missing")
            continue
        population = props.get("population")
        if population is not None and (not isinstance(population, int) or population < 0):
            errors.append(f"feature {n} ({code}): population must be a whole number")
            continue
        geom = _geometry(feature, n, code, crs, errors, required=False)
        items.append((REGION_LEVELS[level], n, code, level, props, geom))
    if errors:
        raise ImportFailed(errors)
    result = ImportResult("regions")
    items.sort(key=lambda i: (i[0], i[2]))  # parents before children
    for _rank, n, code, level, props, geom in items:
        parent = None
        wanted = parent_code(code, level)
        if wanted:
            parent = Region.objects.filter(code=wanted).first()
            if parent is None:
                errors.append(
                    f"feature {n} ({code}): parent region {wanted} is neither in the file nor known"
                )
                continue
        region = Region.objects.filter(code=code).first()
        created = region is None
        region = region or Region(code=code)
        region.name, region.level, region.parent = props["name"], level, parent
        if props.get("population") is not None:
            region.population = props["population"]
        if geom is not None:
            region.boundary = to_geojson(geom)
            region.area_m2 = round(area_m2(geom), 1)
        region.save()
        result.created += created
        result.updated += not created
        result.codes.append(code)
    if errors:
        raise ImportFailed(errors)
    return result


def _import_unit_grids(features, *, crs, actor):
    errors, items = [], []
    codes = [
        str(((f or {}).get("properties") or {}).get("code", "")) for f in features if isinstance(f, dict)
    ]
    communities = {r.code: r for r in Region.objects.filter(code__in={c[:12] for c in codes})}
    seen = set()
    for n, feature in enumerate(features, start=1):
        props = _props(feature, n, errors)
        if props is None:
            continue
        code = str(props["code"])
        if code in seen:
            errors.append(f"feature {n}: unit grid {code} appears twice")
            continue
        seen.add(code)
        community = communities.get(code[:12])
        if community is None:
            errors.append(f"feature {n} ({code}): no community with code {code[:12]}")
            continue
        try:
            validate_unit_grid_code(code, community)
        except DomainError as exc:
            errors.append(f"feature {n} ({code}): {exc.message}")
            continue
        valid_from = _date(props.get("valid_from"), n, "valid_from", errors)
        valid_to = _date(props.get("valid_to"), n, "valid_to", errors)
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(f"feature {n} ({code}): valid_to is before valid_from")
        geom = _geometry(feature, n, code, crs, errors)
        if geom is None:
            continue
        items.append((code, community, geom, props, valid_from, valid_to))
    if errors:
        raise ImportFailed(errors)
    existing = {g.code: g for g in UnitGrid.objects.filter(code__in=[i[0] for i in items])}
    new, changed = [], []
    for code, community, geom, props, valid_from, valid_to in items:
        grid = existing.get(code) or UnitGrid(code=code, community=community)
        grid.geometry = to_geojson(geom)
        grid.area_m2 = round(area_m2(geom), 1)
        grid.land_use = str(props.get("land_use") or "")[:8]
        grid.management_level = str(props.get("management_level") or "")[:8]
        grid.valid_from, grid.valid_to = valid_from, valid_to
        (changed if grid.pk else new).append(grid)
    UnitGrid.objects.bulk_create(new, batch_size=500)
    UnitGrid.objects.bulk_update(
        changed,
        ["geometry", "area_m2", "land_use", "management_level", "valid_from", "valid_to"],
        batch_size=500,
    )
    return ImportResult("unit_grids", len(new), len(changed), [i[0] for i in items])


def _import_responsibility(features, *, crs, actor):
    errors, items = [], []
    regions = {r.code: r for r in Region.objects.all()}
    squads = {d.code: d for d in Department.objects.all()}
    seen = set()
    all_grid_codes = set()
    for feature in features:
        props = ((feature or {}).get("properties") or {}) if isinstance(feature, dict) else {}
        if isinstance(props.get("unit_grids"), list):
            all_grid_codes.update(str(c) for c in props["unit_grids"])
    grids = {g.code: g for g in UnitGrid.objects.filter(code__in=all_grid_codes).select_related("community")}
    supervisors = {
        u.username: u
        for u in User.objects.filter(
            Q(role_assignments__role=Role.SUPERVISOR),
        ).distinct()
    }
    for n, feature in enumerate(features, start=1):
        props = _props(feature, n, errors)
        if props is None:
            continue
        code = str(props["code"])
        problems = []
        if len(code) > 32:
            problems.append("the code is longer than 32 characters")
        if code in seen:
            problems.append("the code appears twice")
        seen.add(code)
        region = regions.get(str(props.get("region", "")))
        if region is None:
            problems.append(f"no region with code {props.get('region')!r}")
        unit_codes = props.get("unit_grids")
        if not isinstance(unit_codes, list) or not unit_codes:
            problems.append("unit_grids must be a non-empty list of unit grid codes")
            unit_codes = []
        missing = [c for c in map(str, unit_codes) if c not in grids]
        if missing:
            problems.append(f"unknown unit grids: {', '.join(missing[:5])}")
        if region is not None:
            outside = [
                c
                for c in map(str, unit_codes)
                if c in grids and not grids[c].community.path.startswith(region.path)
            ]
            if outside:
                problems.append(f"unit grids outside {region.code}: {', '.join(outside[:5])}")
        names = props.get("supervisors") or []
        unknown = [u for u in names if u not in supervisors]
        if unknown:
            problems.append(f"not supervisors: {', '.join(map(str, unknown[:5]))}")
        squad = props.get("squad")
        if squad and squad not in squads:
            problems.append(f"no department with code {squad!r}")
        if problems:
            errors.extend(f"feature {n} ({code}): {p}" for p in problems)
            continue
        items.append(
            (code, props, region, [grids[str(c)] for c in unit_codes], [supervisors[u] for u in names])
        )
    if errors:
        raise ImportFailed(errors)
    result = ImportResult("responsibility_grids")
    for code, props, region, unit_grids, sups in items:
        rg, created = ResponsibilityGrid.objects.update_or_create(
            code=code,
            defaults={
                "name": str(props.get("name") or code)[:100],
                "region": region,
                "squad": squads.get(props.get("squad")) if props.get("squad") else None,
            },
        )
        rg.unit_grids.set(unit_grids)
        rg.supervisors.set(sups)
        result.created += created
        result.updated += not created
        result.codes.append(code)
    return result
