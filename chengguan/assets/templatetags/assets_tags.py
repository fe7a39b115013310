"""Hooks into older apps' pages (which must not import this app): `{% bodycam_on_case case %}` on the enforcement
case page (the body-camera files with device and SHA-256, and the attach form for the squad's officers), and
`{% vehicle_coverage day %}` on the patrol coverage page (the vehicles' share of each responsibility grid)."""

from django import template

from .. import selectors
from ..access import can_view
from ..models import Asset, BodyCameraFile

register = template.Library()


@register.inclusion_tag("assets/_on_case.html", takes_context=True)
def bodycam_on_case(context, case):
    """The enforcement page already checked that the reader may see the case."""
    from chengguan.org.scope import user_covers_department

    user = context.get("user")
    files = list(BodyCameraFile.objects.filter(case=case).select_related("camera", "attached_by"))
    cameras = []
    if case.is_open and user is not None and user.is_authenticated:
        cameras = [c for c in Asset.objects.filter(kind=Asset.Kind.BODY_CAMERA, status=Asset.Status.IN_SERVICE)
                   .select_related("squad") if user_covers_department(user, c.squad, roles={"officer", "admin"})]
    return {"case": case, "files": files, "cameras": cameras, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("assets/_vehicle_coverage.html", takes_context=True)
def vehicle_coverage(context, day):
    user = context.get("user")
    if user is None or not can_view(user):
        return {"rows": None}
    rows = [r for r in selectors.coverage(user, day) if r["total"]]
    return {"rows": rows, "day": day, "vehicles": selectors.vehicle_days(user, day)}
