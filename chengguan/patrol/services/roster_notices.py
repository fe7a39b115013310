"""Roster changes reach the people they move: a person added to or taken off a shift, both sides of an approved
swap, the requester of a decided swap or leave. In the inbox with a link to their shifts, and through the
configured channels after commit (cases.notify.remind: once per person and key)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.notify import remind


def _when(shift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    return f"{start:%m-%d %H:%M}–{end:%H:%M}"


def _place(shift) -> str:
    return str(shift.grid or shift.squad or shift.region)


def _tell(user_ids, text: str, key: str) -> int:
    now = timezone.now()
    return remind(key=f"roster:{key}:{now.timestamp():.0f}", user_ids=user_ids, at=now,
                  link=reverse("patrol:mobile"), text=text)  # fmt: skip


def added(shift, user) -> int:
    values = {"when": _when(shift), "place": _place(shift)}
    return _tell([user.pk], _("Roster change: you are on duty %(when)s at %(place)s. See your shifts.") % values,
                 f"add:{shift.pk}:{user.pk}")  # fmt: skip


def removed(shift, user) -> int:
    values = {"when": _when(shift), "place": _place(shift)}
    return _tell([user.pk], _("Roster change: you are no longer on duty %(when)s at %(place)s.") % values,
                 f"remove:{shift.pk}:{user.pk}")  # fmt: skip


def swap_decided(request, approved: bool) -> int:
    shift = request.assignment.shift
    values = {"when": _when(shift), "place": _place(shift), "name": request.counterpart}
    if not approved:
        text = _("Your request to hand the shift %(when)s at %(place)s to %(name)s was not approved.") % values
        return _tell([request.requester_id], text, f"swap:{request.pk}")
    told = _tell([request.requester_id], _("Swap approved: %(name)s takes your shift %(when)s at %(place)s.")
                 % values, f"swap:{request.pk}")  # fmt: skip
    return told + added(shift, request.counterpart)


def leave_decided(request, approved: bool, shifts: int) -> int:
    values = {"from": f"{timezone.localtime(request.starts_at):%m-%d %H:%M}",
              "to": f"{timezone.localtime(request.ends_at):%m-%d %H:%M}", "n": shifts}  # fmt: skip
    text = (
        _("Leave approved %(from)s–%(to)s: you are off %(n)s shift(s) in that time.")
        if approved
        else _("Your leave %(from)s–%(to)s was not approved: your shifts stand.")
    ) % values
    return _tell([request.user_id], text, f"leave:{request.pk}")
