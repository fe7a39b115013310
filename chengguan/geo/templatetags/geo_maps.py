"""`{% basemap %}`: the shared base-map configuration and script for a map page (after leaflet.js)."""

import json

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _

from ..basemaps import layer_config

register = template.Library()


@register.simple_tag
def basemap():
    return format_html(
        '{}<script src="{}"></script>', json_script(layer_config(), "basemap-config"), static("geo/basemap.js")
    )


@register.simple_tag
def basemap_css():
    return format_html('<link rel="stylesheet" href="{}">', static("geo/maps.css"))


@register.simple_tag
def address_picker_assets():
    return format_html('<script src="{}"></script>', static("geo/picker.js"))


@register.simple_tag(takes_context=True)
def address_picker(context, lng="lng", lat="lat", crs="crs", address="address", coordinates=False,
                   out_crs="gcj02", fill="said"):
    """The search box + candidates + map with a draggable pin, filling the form fields with these ids;
    `coordinates=True` also renders those fields (folded away) for a place the gazetteer does not know;
    `out_crs` is the system the form's lng/lat are read in (a form without a crs field); `fill="standard"`
    puts the standard address into the address field (a register), `"said"` keeps the caller's words."""
    labels = {
        "community": _("Community"),
        "grid": _("Unit grid"),
        "outside": _("Outside the city's grids."),
        "near": _("Near"),
        "standard": _("Standard address:"),
        "demo": _("demo data"),
        "drag": _("Drag to adjust"),
        "error": _("The map could not load its data."),
    }
    return render_to_string(
        "geo/_address_picker.html",
        {"picker_lng": lng, "picker_lat": lat, "picker_crs": crs, "picker_address": address,
         "picker_labels": json.dumps(labels, ensure_ascii=False), "picker_coordinates": coordinates,
         "f": context.get("f") or {}, "picker_out_crs": out_crs, "picker_fill": fill,
         "crs_choices": [("gcj02", "GCJ-02"), ("wgs84", "WGS84"), ("bd09", "BD-09"), ("cgcs2000", "CGCS2000")]},
        request=context.get("request"),
    )


@register.simple_tag
def position_confirm(lng="lng", lat="lat", crs="crs", watch="position"):
    """A small map that shows the position in the form's fields with the grid and community it resolved to;
    `watch` is the element whose text changes when a new position arrives (the phone form's #position)."""
    from django.urls import reverse

    labels = {"community": _("Community"), "grid": _("Unit grid"), "outside": _("Outside the city's grids."),
              "drag": _("Drag to adjust"), "error": _("The map could not load its data.")}
    return format_html(
        '<div class="position-confirm" data-position-confirm hidden data-lng="{}" data-lat="{}" data-crs="{}" '
        'data-watch="{}" data-reverse-url="{}" data-outlines-url="{}" data-labels="{}">'
        '<p class="muted">{}</p><div class="map picker-map small"></div><p class="picker-place" aria-live="polite"></p></div>',
        lng, lat, crs, watch, reverse("api:geo-reverse"), reverse("api:geo-outlines"),
        json.dumps(labels, ensure_ascii=False), _("Check the place on the map; drag the pin if it is off."),
    )


MAX_COVERAGE_GRIDS = 5000


@register.simple_tag
def coverage_map(coverage):
    """Patrol coverage on the base map: the unit grids of the listed responsibility grids, visited ones green.
    `coverage` is patrol's list of rows with `.grid` (a responsibility grid) and `.visited` (unit grid ids)."""
    from chengguan.grids.models import ResponsibilityGrid, UnitGrid

    rows = list(coverage or [])
    if not rows:
        return ""
    visited = set().union(*(set(r.visited) for r in rows))
    through = ResponsibilityGrid.unit_grids.through.objects.filter(responsibilitygrid_id__in=[r.grid.pk for r in rows])
    ids = list(through.values_list("unitgrid_id", flat=True)[:MAX_COVERAGE_GRIDS])
    features = [
        {"type": "Feature", "properties": {"code": code, "visited": pk in visited}, "geometry": geometry}
        for pk, code, geometry in UnitGrid.objects.filter(pk__in=ids).values_list("pk", "code", "geometry")
    ]
    return format_html(
        '<section class="card"><h2>{}</h2><p class="muted"><span class="swatch visited"></span> {} '
        '<span class="swatch unvisited"></span> {}</p><div id="coverage-map" class="map coverage-map"></div>{}'
        '<link rel="stylesheet" href="{}">{}<script src="{}" defer></script>{}<script src="{}" defer></script></section>',
        _("Coverage map"), _("visited"), _("not visited"),
        json_script({"type": "FeatureCollection", "features": features}, "coverage-map-data"),
        static("leaflet/leaflet.css"), basemap_css(), static("leaflet/leaflet.js"), basemap(), static("geo/coverage.js"),
    )


@register.simple_tag
def place_map(points, outlines=True, height="small", title=""):
    """A map of one or more stored (GCJ-02) points on the shared base map: `points` is a list of dicts with
    `lng`, `lat` and `label` (or one dict). With one point and `outlines`, the unit grid it falls in and its
    responsibility grid are drawn around it (staff pages: the outlines API needs a signed-in user). Points
    without coordinates are left out; nothing is rendered when none has them."""
    from django.urls import reverse

    if isinstance(points, dict):
        points = [points]
    shown = [{"lng": float(p["lng"]), "lat": float(p["lat"]), "label": str(p.get("label") or "")}
             for p in points or [] if p.get("lng") is not None and p.get("lat") is not None]
    if not shown:
        return ""
    data = {"points": shown, "outlinesUrl": reverse("api:geo-outlines") if outlines and len(shown) == 1 else ""}
    node_id = f"place-map-{id(points)}"
    return format_html(
        '<div class="map place-map {}" data-place-map="{}" role="region" aria-label="{}"></div>{}'
        '<link rel="stylesheet" href="{}">{}<script src="{}" defer></script>{}<script src="{}" defer></script>',
        height, node_id, title or _("Map"), json_script(data, node_id),
        static("leaflet/leaflet.css"), basemap_css(), static("leaflet/leaflet.js"), basemap(),
        static("geo/placemap.js"),
    )
