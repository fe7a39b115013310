"""Evidence files: stored with their SHA-256, recorded in the audit chain."""

import mimetypes

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied, ValidationError

from ..audit import audit_append, file_entry, sha256_file
from ..models import CaseEvent, Evidence, State
from ..permissions import check_co_officer, covering_roles, require_assistant_may_act
from .base import SUBJECT

MAX_EVIDENCE_BYTES = 500 * 1024 * 1024
ALLOWED_TYPES = ("image/", "audio/", "video/", "application/pdf", "text/plain",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@transaction.atomic
def evidence_add(*, actor, case, kind: str, description: str, now=None, file=None, co_officer=None,
                 collected_at=None) -> Evidence:
    """Officers add evidence while the case is open; assistants may attach material to a clue (assisting)."""
    from chengguan.org.selectors import valid_certificate

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    roles = covering_roles(actor, region=case.region, department=case.department)
    if "officer" in roles and valid_certificate(actor, today):
        role = "officer"
    elif "assistant" in roles and case.state == State.CLUE:
        role = "assistant"
        require_assistant_may_act(actor, today)
    else:
        raise PermissionDenied(_("only certified officers add evidence; assistants may attach material to a clue"),
                               field="actor")
    if not case.is_open:
        raise ValidationError(_("the case is no longer open"), field="case")
    if kind not in Evidence.Kind.values:
        raise ValidationError(_("kind must be one of %(values)s") % {"values": ", ".join(Evidence.Kind.values)}, field="kind")
    if not (description or "").strip():
        raise ValidationError(_("describe the evidence"), field="description")
    if co_officer is not None:
        check_co_officer(actor, co_officer, case, today)
    evidence = Evidence(case=case, kind=kind, description=description.strip()[:300], collected_at=collected_at or now,
                        collected_by=actor, co_officer=co_officer)
    files = []
    if file is not None:
        content_type = getattr(file, "content_type", "") or mimetypes.guess_type(file.name)[0] or ""
        if file.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("the file is larger than 500 MB"), field="file")
        if not content_type.startswith(ALLOWED_TYPES):
            raise ValidationError(_("photos, audio, video, PDF, text or Word files only"), field="file")
        file.seek(0)
        evidence.sha256 = sha256_file(file)
        file.seek(0)
        evidence.content_type, evidence.size = content_type, file.size
        evidence.file.save(f"{case.pk}-{evidence.sha256[:16]}-{file.name.rsplit('/', 1)[-1][-60:]}", file, save=False)
        files.append(file_entry(evidence.file.name, evidence.sha256, name=description))
    evidence.save()
    event = CaseEvent.objects.create(case=case, act="add_evidence", from_state=case.state, to_state=case.state,
                                     actor=actor, actor_role=role, co_officer=co_officer, at=now,
                                     payload={"evidence": evidence.pk, "kind": kind, "sha256": evidence.sha256})
    record = audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk, act="add_evidence", at=now,
                          payload={"case": case.reference, "evidence": evidence.pk, "kind": kind,
                                   "description": evidence.description, "event": event.pk}, files=files)
    event.audit_seq = evidence.audit_seq = record.seq
    event.save(update_fields=["audit_seq"])
    evidence.save(update_fields=["audit_seq"])
    type(case).objects.filter(pk=case.pk).update(last_act_at=now)
    return evidence
