"""What every part of the patrol API shares: the router and the role check."""

from ninja import Router

from chengguan.catalog.models import MatterType
from chengguan.core.errors import PermissionDenied, ValidationError

from ..access import EVERYONE_IN_PATROL, may, roles_set

router = Router(tags=["patrol"])
ROLES = roles_set(EVERYONE_IN_PATROL)


def _require_patrol_role(user):
    if not may(user, EVERYONE_IN_PATROL):
        raise PermissionDenied("You have no role in patrol work.")


def _matter(code):
    if not code:
        return None
    matter = MatterType.objects.filter(code=code).first()
    if matter is None:
        raise ValidationError(f"Unknown matter {code!r}.", field="matter_code")
    return matter
