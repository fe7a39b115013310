"""What the public may see of a case: status, a timeline without internal notes or staff names, photos.

Used by the citizen portal, Open311 and the hotline webhooks alike, so the three never disagree.
"""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.cases.workflow import STATE_LABELS, State
from chengguan.core.privacy import mask_phone

# Actions a citizen sees on the timeline; the rest (urges, requests, denials) are internal.
PUBLIC_ACTIONS = {
    "report": gettext_lazy("reported"),
    "accept": gettext_lazy("accepted"),
    "request_verification": gettext_lazy("being verified on site"),
    "verify": gettext_lazy("verified on site"),
    "reject": gettext_lazy("not accepted"),
    "merge": gettext_lazy("merged with another report of the same problem"),
    "self_handle": gettext_lazy("fixed on the spot"),
    "file": gettext_lazy("filed"),
    "void": gettext_lazy("cancelled"),
    "dispatch": gettext_lazy("dispatched"),
    "return": gettext_lazy("being dispatched again"),
    "hang_up": gettext_lazy("on hold"),
    "resume": gettext_lazy("handling resumed"),
    "approve_extension": gettext_lazy("handling time extended"),
    "reply": gettext_lazy("handled, awaiting on-site check"),
    "check_pass": gettext_lazy("on-site check passed"),
    "check_fail": gettext_lazy("on-site check failed, handled again"),
    "close": gettext_lazy("closed"),
}
# Open311 note types (Chicago / wiki "notes" extension): opened, activity, closed.
NOTE_TYPES = {"report": "opened", "close": "closed", "reject": "closed", "void": "closed", "merge": "closed"}
# Reasons written for the reporter (they are told by SMS too); other reasons stay internal.
PUBLIC_REASONS = frozenset({"reject"})

_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_CARD_RE = re.compile(r"(?<![0-9Xx])\d{17}[\dXx](?![0-9Xx])")


def scrub_text(text: str) -> str:
    """Mask mobile numbers and ID-card numbers citizens type into free text before it is published."""
    text = _ID_CARD_RE.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text or "")
    return _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


def iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def status_of(case) -> str:
    return "open" if case.is_open else "closed"


def state_label(case) -> str:
    return str(STATE_LABELS.get(case.state, case.state))


def public_events(case) -> list:
    """The case's events a citizen may see, oldest first (pass a prefetched `events` where possible)."""
    return [e for e in case.events.all() if e.action in PUBLIC_ACTIONS]


def event_text(event) -> str:
    label = str(PUBLIC_ACTIONS.get(event.action, event.action))
    if event.action == "dispatch" and event.department_id:
        return _("dispatched to %(department)s") % {"department": event.department.name}
    if event.action == "dispatch":
        return _("sent to the district for dispatch")
    if event.action == "merge" and event.payload.get("target"):
        return _("merged into %(number)s, handled together") % {"number": event.payload["target"]}
    if event.action == "verify" and event.payload.get("confirmed") is False:
        return _("on-site verification: problem not found")
    if event.action in PUBLIC_REASONS and event.reason:
        return f"{label}：{scrub_text(event.reason)}"
    return label


def timeline(case) -> list[dict]:
    return [
        {"at": e.at, "action": e.action, "text": event_text(e), "state": e.to_state}
        for e in public_events(case)
    ]


def status_note(case) -> str:
    """One line for Open311 `status_notes` and the webhook `note`."""
    events = public_events(case) if case.state == State.REJECTED else ()
    merged = case.merged_into.number if case.state == State.MERGED and case.merged_into_id else None
    return state_note(case.state, events, merged)


def state_note(state: str, events, merged_number: str | None) -> str:
    """`status_note` from its parts: the state, the case's public events (oldest first; read only when rejected)
    and the number of the case it was merged into (Open311's row serialiser calls this directly)."""
    if state == State.REJECTED:
        event = next((e for e in reversed(events) if e.action == "reject"), None)
        if event is not None:
            return event_text(event)
    if state == State.MERGED and merged_number:
        return _("merged into %(number)s, handled together") % {"number": merged_number}
    return str(STATE_LABELS.get(state, state))


def public_reply(case) -> dict | None:
    """The department's latest reply (处置结果), as the citizen reads it: text scrubbed, the department named."""
    event = next((e for e in reversed(list(case.events.all())) if e.action == "reply" and e.reason), None)
    if event is None:
        return None
    return {
        "at": event.at,
        "text": scrub_text(event.reason),
        "department": event.department.name if event.department_id else "",
    }


def place_of(case) -> str:
    """Where, in words a citizen recognises: the address they gave, else the community (and its district)."""
    if case.address:
        return case.address
    parts = [r.name for r in (case.district, case.community) if r is not None]
    return " ".join(dict.fromkeys(parts))


def after_photos(case) -> list:
    return [a for a in case.attachments.all() if a.kind == "after"]


def before_photos(case) -> list:
    return [a for a in case.attachments.all() if a.kind == "before"]


def photo_url(attachment) -> str:
    """The public address of a case photo (served by the portal with its own access rule, not /media/)."""
    from django.urls import reverse

    return reverse("public-photo", args=[attachment.pk])
