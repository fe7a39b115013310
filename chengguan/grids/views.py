"""The grid map page: grids coloured by district, click for the code and the hierarchy."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs
from chengguan.org.models import Region


@login_required
def grid_map(request):
    districts = list(
        Region.objects.filter(level=Region.Level.DISTRICT, boundary__isnull=False)
        .order_by("code")
        .values_list("code", "name")
    )
    config = {
        "locateUrl": reverse("api:geo-locate"),
        "gridsUrl": reverse("api:geo-unit-grids"),
        "regionsUrl": reverse("api:geo-regions"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "crs": check_crs(getattr(settings, "MAP_TILE_CRS", "gcj02")) if settings.MAP_TILE_URL else "gcj02",
        "gridZoom": 14,
        "districts": [{"code": code[:6], "name": name} for code, name in districts],
        "labels": {
            "unitGrid": _("Unit grid"),
            "community": _("Community"),
            "street": _("Street"),
            "district": _("District"),
            "responsibilityGrid": _("Responsibility grid"),
            "outside": _("Outside the city's grids."),
            "zoomIn": _("Zoom in to see the unit grids."),
            "truncated": _("Too many grids here: zoom in to see all of them."),
            "error": _("The map could not load its data."),
        },
    }
    return render(request, "grids/map.html", {"config": config, "districts": config["districts"]})
