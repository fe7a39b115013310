"""What each action asks for on the pages, and how a submitted form becomes `case_act` parameters."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import ValidationError

from .evidence import attachments_create

# Fields shown per action (besides the reason, always shown). `reason` marks whether it is required.
FIELDS = {
    "accept": ["severity"],
    "reject": [],
    "request_verification": [],
    "verify": ["confirmed", "photos"],
    "merge": ["target_id"],
    "self_handle": ["photos"],
    "file": ["filing_condition_id", "severity"],
    "void": [],
    "dispatch": ["department_id", "district_id"],
    "return": [],
    "request_extension": ["amount", "unit"],
    "approve_extension": ["amount", "unit"],
    "deny_extension": [],
    "request_hang_up": [],
    "hang_up": [],
    "deny_hang_up": [],
    "resume": [],
    "reply": ["photos"],
    "check_pass": ["photos"],
    "check_fail": ["photos"],
    "close": [],
    "urge": [],
    "supervise": [],
}
REASON_REQUIRED = {"reject", "void", "return", "request_extension", "request_hang_up", "reply", "check_fail",
                   "self_handle"}  # fmt: skip
# The action each role is on the case for, in the order it opens first (立案, 派遣, 处置反馈, 核查 ...).
PRIMARY = ["accept", "verify", "file", "dispatch", "reply", "check_pass", "close", "resume", "approve_extension"]
DANGER = {"reject", "void", "return", "check_fail", "deny_extension", "deny_hang_up"}
UNIT_LABELS = {
    "working_hours": _("working hours"),
    "working_days": _("working days"),
    "minutes": _("working minutes"),
    "natural_days": _("natural days"),
}


def _int(value, field):
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(gettext("%(field)s must be a number.") % {"field": field}, field=field) from exc


def params_from_form(action: str, post, files, user) -> dict:
    """Form fields → wire parameters; uploaded photos are stored first and passed by id."""
    params = {"reason": (post.get("reason") or "").strip() or None}
    fields = FIELDS.get(action, [])
    for name in fields:
        value = post.get(name)
        if name == "photos":
            uploads = files.getlist("photos")
            params["photos"] = [a.pk for a in attachments_create(actor=user, files=[f for f in uploads if f],
                                                                  kind="after")]
        elif value in (None, ""):
            continue
        elif name in ("department_id", "district_id", "filing_condition_id"):
            params[name] = _int(value, name)
        elif name == "amount":
            try:
                params[name] = float(value)
            except ValueError as exc:
                raise ValidationError(_("amount must be a number."), field="amount") from exc
        elif name == "confirmed":
            params[name] = value in ("1", "true", "yes", "on")
        else:
            params[name] = value.strip()
    return params
