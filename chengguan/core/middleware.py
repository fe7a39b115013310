"""Security headers Django's SecurityMiddleware does not set: Content-Security-Policy and Permissions-Policy.

The policy allows only this site's own origin (plus data:/blob: images for photo previews and the map tile
server's origin when `CHENGGUAN_MAP_TILE_URL` is set). No page may load a script, style, font or frame from
anywhere else, and no other site may frame our pages. See docs/security.md.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


def tile_origin(url: str) -> str:
    """`https://t{s}.tianditu.gov.cn/x?tk=K` → `https://*.tianditu.gov.cn` (Leaflet's {s} subdomains)."""
    if not url:
        return ""
    parsed = urlparse(url.replace("{s}", "a"))
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return ""
    host = parsed.hostname
    if "{s}" in url.split("//", 1)[-1].split("/", 1)[0]:
        host = "*." + host.split(".", 1)[1] if "." in host else host
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{host}{port}"


def build_policy() -> str:
    script = "'self'" + (" 'unsafe-inline'" if getattr(settings, "CSP_ALLOW_INLINE_SCRIPTS", False) else "")
    images = "'self' data: blob:"
    origin = tile_origin(getattr(settings, "MAP_TILE_URL", ""))
    if origin:
        images += " " + origin
    if getattr(settings, "TIANDITU_KEY", ""):  # the Tianditu preset of chengguan/geo/basemaps.py
        images += " https://*.tianditu.gov.cn"
    directives = {
        "default-src": "'self'",
        "script-src": script,
        # htmx injects its indicator <style>; Leaflet positions tiles with style attributes.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": images,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' blob:",
        "object-src": "'none'",
        "frame-src": "'none'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "") or build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in (404, 405)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # No route matched (e.g. /api/v1/cases/-5/): API clients get the API's JSON error shape, not a page.
            status, allow = response.status_code, response.get("Allow")
            detail = (f"no API endpoint at {request.path}" if status == 404
                      else f"method {request.method} not allowed at {request.path}")
            response = JsonResponse(
                {"detail": detail, "code": "not_found" if status == 404 else "method_not_allowed", "field": None},
                status=status,
            )
            if allow:
                response["Allow"] = allow
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith("/api/"):
            # API answers carry personal data; never keep them in a shared cache or the browser's.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, with the browser's Accept-Language honoured only when
    `CHENGGUAN_BROWSER_LANGUAGE` is true (the default). Off, everyone gets `LANGUAGE_CODE` (Simplified Chinese)
    until they pick another language with the switch in the page header (a cookie)."""

    def process_request(self, request):
        if not settings.BROWSER_LANGUAGE:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)
