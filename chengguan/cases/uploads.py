"""Uploaded photos that never reach a case: no file left by a refused request, a quota of unattached uploads
per user, and their expiry (docs/cases.md, "Photos").

- `files_removed_on_error()` wraps a request's transaction: a file written inside it is deleted again when the
  block raises (the transaction has rolled its row back by then), so a report refused after its photos were
  stored leaves nothing in the media tree.
- A user may hold `CASES_UNATTACHED_MAX` (20) uploaded photos not yet sent with a report or an action.
- `expire_unattached()` (job `cases.expire_uploads`, command `chengguan expire_uploads`) deletes unattached
  photos older than `CASES_UNATTACHED_HOURS` (24) with their files, and files under `cases/` that no row
  names, older than a day (left by a killed process).
"""

import contextlib
import contextvars
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from .models import Attachment

log = logging.getLogger("chengguan.cases")
_WRITTEN: contextvars.ContextVar[list | None] = contextvars.ContextVar("cases_uploads_written", default=None)
ORPHAN_AGE = timedelta(days=1)


def unattached_max() -> int:
    return int(getattr(settings, "CASES_UNATTACHED_MAX", 20))


def unattached_hours() -> float:
    return float(getattr(settings, "CASES_UNATTACHED_HOURS", 24))


def remember_written(storage, name: str) -> None:
    written = _WRITTEN.get()
    if written is not None:
        written.append((storage, name))


@contextlib.contextmanager
def files_removed_on_error():
    """Use outside the `transaction.atomic()` block whose rows name the files."""
    written: list = []
    token = _WRITTEN.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - the expiry sweep finds it later
                log.warning("could not remove %s after a refused upload", name)
        raise
    finally:
        _WRITTEN.reset(token)


def check_quota(actor, adding: int) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return  # the portal is limited by its own rate limits and attaches at once
    held = Attachment.objects.filter(uploaded_by=actor, case__isnull=True).count()
    if held + adding > unattached_max():
        raise ValidationError(
            _("You already have %(held)s uploaded photos not yet sent with a report or action (at most %(max)s); "
              "send them, or wait for them to expire.") % {"held": held, "max": unattached_max()},
            field="file",
            code="quota_exceeded",
        )


def expire_unattached(*, now=None) -> dict:
    now = now or timezone.now()
    old = Attachment.objects.filter(case__isnull=True, uploaded_at__lt=now - timedelta(hours=unattached_hours()))
    expired = 0
    for attachment in old.iterator():
        name, storage = attachment.file.name, attachment.file.storage
        attachment.delete()
        if name:
            storage.delete(name)
        expired += 1
    return {"expired": expired, "orphan_files": _sweep_orphans(now)}


def _walk(storage, path):
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for f in files:
        yield f"{path}/{f}"
    for d in dirs:
        yield from _walk(storage, f"{path}/{d}")


def _sweep_orphans(now) -> int:
    storage = default_storage
    known = set(Attachment.objects.values_list("file", flat=True))
    removed = 0
    for name in _walk(storage, "cases"):
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) > now - ORPHAN_AGE:
                continue
        except (NotImplementedError, OSError):
            continue
        storage.delete(name)
        removed += 1
    return removed


def expire_unattached_job() -> None:
    result = expire_unattached()
    if result["expired"] or result["orphan_files"]:
        log.info("expired %(expired)s unattached photos, removed %(orphan_files)s orphan files", result)
