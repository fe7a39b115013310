from django.conf import settings

from chengguan import __version__


def platform(request):
    return {
        "CHENGGUAN_VERSION": __version__,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }


def calendar_banner(request):
    """From 1 October, administrators see on every page that next year's holiday arrangement is missing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_staff or user.is_superuser):
        return {}
    from chengguan.core.calendar_service import calendar_status

    status = calendar_status()
    return {"CALENDAR_MISSING_YEAR": status["year"]} if status["reminder"] else {}
def staff_menu(request):
    """The staff menu for base.html, computed only when a page renders it (the admin and JSON never do)."""
    from django.utils.functional import SimpleLazyObject

    from chengguan.core.navigation import is_staff_user, menu_for

    user = getattr(request, "user", None)

    def build():
        # counts come a moment later from /nav/counts/ (htmx on load): a page pays for roles, not for every queue
        return menu_for(user, counts=False) if is_staff_user(user) else []

    return {"staff_menu": SimpleLazyObject(build)}
