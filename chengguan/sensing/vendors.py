"""Who is pushing: a vendor names itself (`X-Vendor`) and proves it with its token (`Authorization: Bearer`) or
an HMAC-SHA256 signature of `<X-Timestamp>.<body>` (`X-Signature`, hex), the timestamp within five minutes."""

import hashlib
import hmac
import time

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied

from .models import Vendor

MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def authenticate_vendor(headers, body: bytes, *, now: float | None = None) -> Vendor:
    code = (headers.get("X-Vendor") or "").strip()
    vendor = Vendor.objects.filter(code=code, is_active=True).first() if code else None
    if vendor is None:
        raise PermissionDenied(_("Unknown or inactive vendor."), field="X-Vendor", code="unauthenticated")
    auth = headers.get("Authorization") or ""
    sig = (headers.get("X-Signature") or "").strip().lower()
    if auth.startswith("Bearer ") and not sig:
        if hmac.compare_digest(auth[7:].strip().encode(), vendor.secret.encode()):
            return vendor
        raise PermissionDenied(_("The vendor token is wrong."), field="Authorization", code="unauthenticated")
    if not sig:
        raise PermissionDenied(
            _("Send the vendor token or an X-Signature."), field="X-Signature", code="unauthenticated"
        )
    stamp = (headers.get("X-Timestamp") or "").strip()
    try:
        skew = abs((now or time.time()) - float(stamp))
    except ValueError:
        skew = None
    if skew is None or skew > MAX_SKEW_SECONDS:
        raise PermissionDenied(
            _("X-Timestamp is missing or more than five minutes off."), field="X-Timestamp", code="unauthenticated"
        )
    if not hmac.compare_digest(sig, signature(vendor.secret, stamp, body)):
        raise PermissionDenied(_("The signature does not match."), field="X-Signature", code="unauthenticated")
    return vendor
