from django.conf import settings

from chengguan import __version__


def platform(request):
    return {
        "CHENGGUAN_VERSION": __version__,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
