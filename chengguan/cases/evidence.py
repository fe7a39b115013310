"""Photos as evidence: type checked by content, size-limited, SHA-256, EXIF time and GPS read safely."""

import hashlib
import io
import logging
import uuid
from datetime import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from . import conf
from .models import Attachment

log = logging.getLogger("chengguan.cases")

ALLOWED_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
DATETIME = 306


def _read(file) -> bytes:
    limit = conf.photo_max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The photo is larger than %(value)s MB.") % {"value": limit // (1024 * 1024)},
            field="photos",
            code="too_large",
        )
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The photo is larger than %(value)s MB.") % {"value": limit // (1024 * 1024)},
            field="photos",
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The photo is empty."), field="photos")
    return data


def inspect_image(data: bytes) -> dict:
    """Open the bytes with Pillow: the real format (never the file name or the declared type) decides."""
    from PIL import Image, UnidentifiedImageError  # on the first photo, not when the URLs load (worker RSS)

    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            exif = img.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("The file is not a readable JPEG, PNG or WebP image."), field="photos"
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("The image is too large."), field="photos", code="too_large") from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(fmt)s images are not accepted; send JPEG, PNG or WebP.") % {"fmt": fmt}, field="photos"
        )
    taken_at, lng, lat = _exif_time_and_place(exif)
    return {"format": fmt, "width": width, "height": height, "taken_at": taken_at, "lng": lng, "lat": lat}


def _exif_time_and_place(exif) -> tuple[datetime | None, float | None, float | None]:
    """EXIF DateTimeOriginal (local time of the camera → current time zone) and GPS (WGS84 degrees).

    Cameras write garbage often enough: anything unparsable or absurd is ignored, never an error.
    """
    taken_at = lng = lat = None
    try:
        sub = exif.get_ifd(EXIF_IFD) or {}
        raw = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
        if raw:
            parsed = datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
            if 1990 <= parsed.year <= timezone.now().year + 1:
                taken_at = timezone.make_aware(parsed)
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        taken_at = None
    try:
        gps = exif.get_ifd(GPS_IFD) or {}
        if 2 in gps and 4 in gps:
            lat = _dms(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
            lng = _dms(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
            if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
                lng = lat = None
    except (ValueError, TypeError, ZeroDivisionError, KeyError, AttributeError, IndexError, OverflowError):
        lng = lat = None
    return taken_at, lng, lat


def _dms(value) -> float:
    d, m, s = (float(v) for v in value)
    return d + m / 60 + s / 3600


def attachment_create(*, actor, file, kind: str = Attachment.Kind.BEFORE, at=None) -> Attachment:
    """Store an uploaded photo (not yet attached to a case); the id is sent with a later action or report."""
    return attachments_create(actor=actor, files=[file], kind=kind, at=at)[0]


KINDS = frozenset(Attachment.Kind.values)  # `Choices.values` builds a list on every read


def attachments_create(*, actor, files, kind: str = Attachment.Kind.BEFORE, at=None) -> list[Attachment]:
    """Check every photo first and store them only when all pass: a refused upload writes no file. Files written
    inside `files_removed_on_error()` are removed again when the block fails (its rows are rolled back)."""
    from .uploads import check_quota, remember_written

    if kind not in KINDS:
        raise ValidationError(_("Unknown photo kind %(kind)r.") % {"kind": kind}, field="kind")
    checked = []
    for file in files:
        data = _read(file)
        checked.append((file, data, inspect_image(data)))
    if not checked:
        return []  # nothing to store, nothing to count against the quota (a report without photos)
    check_quota(actor, len(checked))
    stored = []
    for file, data, info in checked:
        content_type, ext = ALLOWED_FORMATS[info["format"]]
        attachment = Attachment(
            kind=kind,
            original_name=(getattr(file, "name", "") or "")[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            width=info["width"],
            height=info["height"],
            taken_at=info["taken_at"],
            exif_lng=info["lng"],
            exif_lat=info["lat"],
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            uploaded_at=at or timezone.now(),
        )
        attachment.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
        remember_written(attachment.file.storage, attachment.file.name)
        attachment.save()
        stored.append(attachment)
    return stored


def claim_attachments(*, actor, ids, kind: str | None = None) -> list[Attachment]:
    """The uploaded, still unattached photos `ids` of `actor` (system callers: any unattached photo)."""
    ids = [int(i) for i in ids or ()]
    if not ids:
        return []
    qs = Attachment.objects.select_for_update().filter(pk__in=ids, case__isnull=True)
    if actor is not None:
        qs = qs.filter(uploaded_by=actor)
    found = list(qs)
    missing = sorted(set(ids) - {a.pk for a in found})
    if missing:
        raise ValidationError(
            _("Photo(s) %(value)s not found among your unattached uploads.")
            % {"value": ", ".join(map(str, missing))},
            field="photos",
        )
    if kind:
        for a in found:
            a.kind = kind
    return found
