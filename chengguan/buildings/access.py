"""Who reads and writes the ledger: officers, assistants, legal reviewers, leaders and administrators of the item's
region (outside the scope: 404). It names builders, so the light roles and the 数字城管 roles see none of it."""

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.scope import has_role, scope_q, sees_everything, user_covers_region

from .workflow import VIEWERS


def can_view(user) -> bool:
    return user.is_authenticated and (sees_everything(user) or has_role(user, *VIEWERS))


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDenied(_("Your roles do not include the illegal-building ledger."), field="actor")


def scope(user, prefix: str = ""):
    return scope_q(user, region_field=f"{prefix}region", roles=VIEWERS)


def may(user, roles, region) -> bool:
    return sees_everything(user) or user_covers_region(user, region, roles=set(roles))


def require(user, roles, region, message: str) -> None:
    if not may(user, roles, region):
        raise PermissionDenied(message, field="actor")
