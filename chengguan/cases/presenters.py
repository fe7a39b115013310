"""Cases as plain dicts for the API, the pages' JSON and exports.

Personal data (PIPL): the reporter's name and phone are always masked here, whoever asks. Roles that call
reporters back (operator, shift leader, a city-wide admin) see them in full only through a logged reveal
(`reporter_reveal` in `chengguan.public.services.privacy`, one implementation for pages and API).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengguan.core.privacy import masked_reporter

from .provisional import RECOMPUTE_ACTION, RECOMPUTE_LABEL
from .workflow import ACTION_LABELS, allowed_actions


def may_reveal_reporter(user) -> bool:
    """Whether `user` may ask for a logged reveal of a reporter (the rule lives in the public app's service)."""
    from chengguan.public.services.privacy import may_reveal

    return may_reveal(user)


def _iso(value):
    return value.isoformat() if value else None


def case_summary(case, now) -> dict:
    return {
        "id": case.pk,
        "number": case.number,
        "source": case.source,
        "state": case.state,
        "state_label": str(case.state_label),
        "matter_code": case.matter.code,
        "matter_name": case.matter.name,
        "severity": case.severity,
        "address": case.address,
        "lng": case.lng,
        "lat": case.lat,
        "district": case.district.name,
        "community": case.community.name,
        "department": case.current_department.name if case.current_department_id else None,
        "department_id": case.current_department_id,
        "step": case.step,
        "deadline": _iso(case.deadline),
        "deadline_provisional": case.deadline_provisional,
        "traffic_light": case.traffic_light(now),
        "reported_at": _iso(case.reported_at),
        "closed_at": _iso(case.closed_at),
    }


def attachment_dict(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "url": photo_url(a) if a.file else "",
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "width": a.width,
        "height": a.height,
        "taken_at": _iso(a.taken_at),
        "exif_lng": a.exif_lng,
        "exif_lat": a.exif_lat,
        "uploaded_at": _iso(a.uploaded_at),
        "event_id": a.event_id,
    }


def photo_url(attachment) -> str:
    """The access-checked address of a case photo (never `/media/`, which is not served)."""
    return reverse("cases:photo", args=[attachment.pk])


def event_dict(e) -> dict:
    return {
        "id": e.pk,
        "action": e.action,
        "action_label": str(ACTION_LABELS.get(e.action, RECOMPUTE_LABEL if e.action == RECOMPUTE_ACTION else e.action)),
        "at": _iso(e.at),
        "actor": e.actor_name,
        "actor_role": e.actor_role,
        "from_state": e.from_state,
        "to_state": e.to_state,
        "step": e.step,
        "deadline": _iso(e.deadline),
        "department": e.department.name if e.department_id else None,
        "assignee": str(e.assignee) if e.assignee_id else None,
        "ended_step": e.ended_step,
        "on_time": e.on_time,
        "reason": e.reason,
        "payload": e.payload,
    }


def case_detail(case, user, now=None) -> dict:
    now = now or timezone.now()
    data = case_summary(case, now)
    reporter = masked_reporter(case)
    data.update(
        {
            "description": case.description,
            "channel": case.channel,
            "external_id": case.external_id,
            "unit_grid": case.unit_grid.code,
            "street": case.street.name,
            "area_class": case.area_class,
            "component": case.component.code if case.component_id else None,
            "filing_condition": case.filing_condition.text if case.filing_condition_id else None,
            "reporter_name": reporter["name"],
            "reporter_phone": reporter["phone"],
            "reporter_revealable": bool(case.reporter_name or case.reporter_phone)
            and may_reveal_reporter(user),
            "assignee": str(case.assignee) if case.assignee_id else None,
            "step_started_at": _iso(case.step_started_at),
            "limit_amount": case.limit_amount,
            "limit_unit": case.limit_unit,
            "verified": case.verified,
            "supervised": case.supervised,
            "urge_count": case.urge_count,
            "rework_count": case.rework_count,
            "extension_count": case.extension_count,
            "merged_into": case.merged_into.number if case.merged_into_id else None,
            "events": [event_dict(e) for e in case.events.select_related("department", "assignee")],
            "photos": [attachment_dict(a) for a in case.attachments.all()],
            "pending_requests": [
                {
                    "id": r.pk,
                    "kind": r.kind,
                    "amount": r.amount,
                    "unit": r.unit,
                    "reason": r.reason,
                    "requested_at": _iso(r.requested_at),
                }
                for r in case.requests.filter(status="pending")
            ],
            "allowed_actions": allowed_actions(user, case),
        }
    )
    return data


CHANNEL_LABELS = {
    "web": _("website"),
    "wechat": _("WeChat"),
    "app": _("mobile app"),
    "miniprogram": _("mini program"),
    "sms": _("SMS"),
    "phone": _("telephone"),
}


def channel_label(code: str) -> str:
    """A channel in words: the intake stores codes ("web", "12345", "open311:<key>"), pages show no code."""
    code = (code or "").strip()
    if not code:
        return "—"
    if code in CHANNEL_LABELS:
        return str(CHANNEL_LABELS[code])
    if code.isdigit():
        return _("hotline %(number)s") % {"number": code}
    if code.startswith("open311:"):
        return str(_("open interface (Open311)"))
    return str(_("other channel"))
