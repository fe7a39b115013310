"""People's decisions on alarms: an operator accepts (a case is filed and dispatched) or rejects (a false
positive, counted against the algorithm and camera); an officer turns a camera alarm into an enforcement clue
with its snapshot as hash-chained evidence (非现场执法: nothing is penalised without a person)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.enforcement.services import case_register_clue
from chengguan.enforcement.services.evidence import evidence_add

from . import casework
from .access import require_review
from .models import Alarm


def _lock_pending(alarm: Alarm) -> Alarm:
    locked = Alarm.objects.select_for_update(of=("self",)).select_related("camera", "matter", "community").get(
        pk=alarm.pk
    )
    if locked.status != Alarm.Status.PENDING:
        raise Conflict(
            _("This alarm was decided already (%(status)s).") % {"status": locked.get_status_display()},
            field="status",
        )
    return locked


def alarm_accept(*, actor, alarm: Alarm, at=None) -> Alarm:
    at = at or timezone.now()
    require_review(actor, alarm)
    with transaction.atomic():
        locked = _lock_pending(alarm)
        locked.status, locked.decided_by, locked.decided_at = Alarm.Status.ACCEPTED, actor, at
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        casework.file_case(alarm=locked, at=at)
    return locked


def alarm_reject(*, actor, alarm: Alarm, reason: str = "", at=None) -> Alarm:
    at = at or timezone.now()
    require_review(actor, alarm)
    with transaction.atomic():
        locked = _lock_pending(alarm)
        locked.status, locked.decided_by, locked.decided_at = Alarm.Status.REJECTED, actor, at
        locked.note = (reason or "").strip()[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return locked


def alarm_to_clue(*, actor, alarm: Alarm, department, at=None):
    """An enforcement clue (source: off-site enforcement device) from a camera alarm, its snapshot as evidence.
    The enforcement services check that the actor is an officer/assistant of the area."""
    with translation.override(settings.LANGUAGE_CODE):  # the title and the evidence description are stored
        return _to_clue(actor=actor, alarm=alarm, department=department, at=at)


def _to_clue(*, actor, alarm: Alarm, department, at=None):
    at = at or timezone.now()
    if alarm.kind != Alarm.Kind.AI or alarm.camera_id is None or not alarm.algorithm.enforceable:
        raise ValidationError(_("Only camera alarms of an enforceable matter become enforcement clues."), field="alarm")
    if alarm.clue_id is not None:
        raise Conflict(_("This alarm is a clue already."), field="alarm")
    if not alarm.snapshot:
        raise ValidationError(_("The alarm has no stored snapshot to use as evidence."), field="snapshot")
    with transaction.atomic():
        locked = Alarm.objects.select_for_update().get(pk=alarm.pk)
        clue = case_register_clue(
            actor=actor,
            region=alarm.community,
            department=department,
            source="camera",
            title=_("%(matter)s (camera %(camera)s)") % {"matter": alarm.matter.name, "camera": alarm.camera.name},
            now=at,
            source_reference=f"{alarm.camera.device_id}/{alarm.vendor_alarm_id or alarm.pk}",
            lng=alarm.camera.lng,
            lat=alarm.camera.lat,
            source_case=alarm.case,
        )
        with alarm.snapshot.open("rb") as fh:
            data = fh.read()
        upload = ContentFile(data, name=f"snapshot-{alarm.pk}.jpg")
        upload.content_type = "image/jpeg" if data[:2] == b"\xff\xd8" else "image/png"
        evidence_add(
            actor=actor,
            case=clue,
            kind="electronic",
            description=_("Camera snapshot %(time)s, SHA-256 %(sha)s")
            % {"time": timezone.localtime(alarm.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
               "sha": alarm.snapshot_sha256[:16]},
            now=at,
            file=upload,
            collected_at=alarm.occurred_at,
        )
        locked.clue = clue
        locked.save(update_fields=["clue"])
    alarm.clue = clue
    return clue
