"""The citizen portal's address search: the standard address gazetteer (geo), public and rate-limited per IP.

Only the gazetteer is searched — addresses, places and their community — never cases or reporters. The staff
API (`/api/v1/geo/addresses`) needs a signed-in user; this one answers anyone, with fewer fields and a limit
(`address_ip` in PUBLIC_RATE_LIMITS, 120 per 10 minutes by default)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chengguan.geo import search
from chengguan.grids import geocoder

from .services.ratelimit import RateLimited, client_ip, hit

MAX_QUERY = 60
LIMIT = 8


def _candidate(address) -> dict:
    found = geocoder.current_index().locate(address.lng, address.lat)
    place = geocoder.describe(found) if found is not None else {}
    community = place.get("community") or {}
    district = place.get("district") or {}
    return {
        "full": address.full,
        "name": address.name,
        "lng": round(address.lng, 7),
        "lat": round(address.lat, 7),
        "crs": "gcj02",
        "community": community.get("name", ""),
        "district": district.get("name", "") or address.district,
        "inside": found is not None,
        "is_demo": address.is_demo,
    }


@require_GET
def addresses(request):
    """`GET /p/addresses.json?q=`: up to 8 candidates; an unknown address is an empty list, not an error."""
    q = (request.GET.get("q") or "").strip()
    if len(q) > MAX_QUERY:
        return JsonResponse({"detail": _("At most %(n)d characters.") % {"n": MAX_QUERY}, "field": "q",
                             "code": "invalid"}, status=422)
    try:
        hit("address_ip", client_ip(request), field="q")
    except RateLimited as exc:
        response = JsonResponse({"detail": _("Too many searches; try again in %(n)d seconds.") % {"n": exc.retry_after},
                                 "field": "q", "code": "rate_limited"}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    found = search.search(q, limit=LIMIT) if q else []
    response = JsonResponse({"query": q, "count": len(found), "results": [_candidate(a) for a, _s in found]})
    response["Cache-Control"] = "no-store"
    return response
