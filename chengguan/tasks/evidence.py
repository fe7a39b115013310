"""Evidence for a progress report: photos (checked by content with the case photos' reader) or PDF files, each no
larger than a case photo may be, at most MAX_PER_REPORT per report and MAX_PER_TASK per task. A refused report
writes no file (the cases' upload bookkeeping removes what was written when the transaction fails)."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from chengguan.cases import conf as case_conf
from chengguan.cases.evidence import inspect_image
from chengguan.cases.uploads import remember_written
from chengguan.core.errors import ValidationError

from .models import ProgressEvidence

MAX_PER_REPORT = 6
MAX_PER_TASK = 60
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def _read(file) -> bytes:
    limit = case_conf.photo_max_bytes()
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(value)s MB.") % {"value": limit // (1024 * 1024)}, field="files",
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), field="files")
    return data


def _kind(data: bytes) -> tuple[str, str]:
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    try:
        info = inspect_image(data)
    except ValidationError as exc:
        raise ValidationError(_("Attach photos (JPEG, PNG, WebP) or PDF files."), field="files") from exc
    return IMAGE_TYPES[info["format"]]


def check_files(task, files) -> list[tuple]:
    """Read and check every file before anything is stored."""
    files = list(files or ())
    if len(files) > MAX_PER_REPORT:
        raise ValidationError(
            _("At most %(max)s files per progress report.") % {"max": MAX_PER_REPORT}, field="files",
            code="quota_exceeded",
        )
    held = ProgressEvidence.objects.filter(report__task=task).count()
    if held + len(files) > MAX_PER_TASK:
        raise ValidationError(
            _("This task already has %(held)s evidence files (at most %(max)s).") % {"held": held, "max": MAX_PER_TASK},
            field="files", code="quota_exceeded",
        )
    checked = []
    for file in files:
        data = _read(file)
        checked.append((file, data, *_kind(data)))
    return checked


def store(report, checked) -> list[ProgressEvidence]:
    stored = []
    for file, data, content_type, ext in checked:
        item = ProgressEvidence(
            report=report, original_name=(getattr(file, "name", "") or "")[-200:], content_type=content_type,
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        )
        item.file.save(f"{uuid.uuid4().hex}.{ext}", ContentFile(data), save=False)
        remember_written(item.file.storage, item.file.name)
        item.save()
        stored.append(item)
    return stored
