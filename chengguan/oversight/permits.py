"""Assistants' work permits (持证上岗、编号管理): issue with a unique number, revoke, and the rule the enforcement
app asks before an assistant is put on a case."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.org.models import Region, Role, RoleAssignment, User

from .access import MANAGERS, require
from .models import AssistantPermit
from .numbering import next_value


def valid_permit(user, day: date) -> AssistantPermit | None:
    for permit in AssistantPermit.objects.filter(user=user, revoked_at__isnull=True, valid_from__lte=day,
                                                 valid_to__gte=day).order_by("-valid_to"):
        return permit
    return None


def assistant_permit_denial(user, day: date):
    """Registered with the enforcement app: an assistant without a valid work permit on the day is refused."""
    if valid_permit(user, day) is None:
        return (_("you hold no valid assistant work permit on %(day)s (持证上岗)") % {"day": f"{day:%Y-%m-%d}"},
                "no_work_permit")
    return None


def permit_number(region: Region, year: int) -> str:
    """XG + the district's 6-digit division code + year + sequence, e.g. XG410202-2026-0007."""
    district = region
    while district.level not in ("district", "city") and district.parent_id:
        district = district.parent
    prefix = f"XG{district.code[:6]}"
    return f"{prefix}-{year}-{next_value(prefix, year):04d}"


@transaction.atomic
def permit_issue(*, actor, user: User, region: Region, valid_from: date, valid_to: date, issuer: str = "",
                 now=None) -> AssistantPermit:
    require(actor, MANAGERS, region)
    if not RoleAssignment.objects.filter(user=user, role=Role.ASSISTANT).exists():
        raise ValidationError(_("work permits are issued to assistants"), field="user")
    if valid_to < valid_from:
        raise ValidationError(_("the permit ends before it starts"), field="valid_to")
    if (valid_to - valid_from).days > 3 * 366:
        raise ValidationError(_("a permit is valid for at most three years"), field="valid_to")
    now = now or timezone.now()
    overlapping = AssistantPermit.objects.filter(user=user, revoked_at__isnull=True, valid_from__lte=valid_to,
                                                 valid_to__gte=valid_from)
    if overlapping.exists():
        raise Conflict(_("the assistant already holds a permit for this period: %(number)s")
                       % {"number": overlapping.first().number}, field="user", code="permit_exists")
    return AssistantPermit.objects.create(
        user=user, region=region, number=permit_number(region, timezone.localdate(now).year),
        issuer=(issuer or "").strip() or _("urban management bureau"), valid_from=valid_from, valid_to=valid_to,
        issued_at=now, issued_by=actor)


@transaction.atomic
def permit_revoke(*, actor, permit: AssistantPermit, reason: str, now=None) -> AssistantPermit:
    require(actor, MANAGERS, permit.region)
    if not (reason or "").strip():
        raise ValidationError(_("give the reason for the revocation"), field="reason")
    permit = AssistantPermit.objects.select_for_update().get(pk=permit.pk)
    if permit.revoked_at is not None:
        raise Conflict(_("this permit is already revoked"), field="permit")
    permit.revoked_at, permit.revoke_reason = now or timezone.now(), reason.strip()[:200]
    permit.save(update_fields=["revoked_at", "revoke_reason"])
    return permit


def assistants_without_permit(actor, day: date):
    """Assistants in the actor's scope who hold no valid permit on the day (they cannot be put on a case)."""
    from chengguan.org.scope import region_paths, sees_everything

    qs = RoleAssignment.objects.filter(role=Role.ASSISTANT).select_related("user", "region", "department")
    if not sees_everything(actor):
        paths = region_paths(actor, MANAGERS | {Role.LEGAL_REVIEWER.value})
        qs = [a for a in qs if a.region_id and any(a.region.path.startswith(p) for p in paths)]
    holders = set(AssistantPermit.objects.filter(revoked_at__isnull=True, valid_from__lte=day, valid_to__gte=day)
                  .values_list("user_id", flat=True))
    seen, out = set(), []
    for a in qs:
        if a.user_id not in holders and a.user_id not in seen:
            seen.add(a.user_id)
            out.append(a)
    return out
