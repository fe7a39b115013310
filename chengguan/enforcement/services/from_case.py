"""A 数字城管 case becomes an enforcement clue (线索登记) from the case page.

Only a certified officer who may see the case and serves in an enforcement unit for its area may: the clue is
registered through `case_register_clue` (source: 数字城管案件, linked both ways through `source_case`), the
case's matter is mapped to a power-list item where one fits (else the officer picks one), and every photo of
the case is copied as evidence with its SHA-256 in the audit chain. A case becomes a clue once; a second
attempt is refused and names the existing clue. Refusals write nothing.
"""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chengguan.cases.models import Case
from chengguan.cases.selectors import visible_cases
from chengguan.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from chengguan.org.models import Role, RoleAssignment

from ..models import EnforcementCase, PowerItem, PowerType
from ..permissions import OFFICER, covering_roles
from .cases import case_register_clue
from .evidence import evidence_add

# 数字城管 problem type (GB/T 47678.5-2026 code) → power-list item (national sample list, `CG-CF-NNN`), where
# the matter is itself an enforceable violation. Others (a broken manhole cover, exposed rubbish) have no
# single item: the officer picks one.
MATTER_POWERS = {
    "09006": "CG-CF-026",  # 占道经营 → 擅自占用城市道路
    "08002": "CG-CF-026",  # 施工占道 → 擅自占用或者挖掘城市道路
    "06036": "CG-CF-017",  # 乱堆杂物 → 擅自在街道两侧和公共场地堆放物料
    "08006": "CG-CF-017",  # 施工物料乱堆放 → 同上
    "07003": "CG-CF-016",  # 违规户外广告 → 未经同意擅自设置大型户外广告
    "08004": "CG-CF-043",  # 工地扬尘 → 施工工地未采取防尘措施
    "08011": "CG-CF-044",  # 渣土运输车辆未安装密闭装置 → 运输散装物料车辆未密闭
    "06029": "CG-CF-047",  # 露天烧烤 → 在禁止区域露天烧烤食品
    "06020": "CG-CF-048",  # 焚烧垃圾、树叶 → 人口集中地区露天焚烧落叶
}
ENFORCEABLE = (PowerType.PENALTY, PowerType.COERCION)


def power_item_for(matter) -> PowerItem | None:
    """The power-list item the case's matter maps to, if the list holds it."""
    code = MATTER_POWERS.get(getattr(matter, "code", ""))
    return PowerItem.objects.filter(code=code, power_type__in=ENFORCEABLE).first() if code else None


def officer_department(user, region):
    """The enforcement unit in which `user` serves as an officer for `region` (their brigade or squad)."""
    rows = RoleAssignment.objects.filter(user=user, role=Role.OFFICER, department__isnull=False)
    for row in rows.select_related("department", "region"):
        covers = row.region is None or region.path.startswith(row.region.path)
        if covers and OFFICER in covering_roles(user, region=region, department=row.department):
            return row.department
    return None


def clue_refusal(user, case: Case, today) -> PermissionDenied | None:
    """Why `user` may not open a clue from `case` (seen in scope), or None if they may."""
    from chengguan.org.selectors import valid_certificate

    department = officer_department(user, case.community) if user and user.is_authenticated else None
    if department is None:
        if user and user.is_authenticated and RoleAssignment.objects.filter(user=user, role=Role.ASSISTANT).exists():
            return PermissionDenied(_("Assistants hold no enforcement certificate: an officer opens the clue."),
                                    field="actor", code="assistant_not_certified")
        return PermissionDenied(_("Only an enforcement officer serving in this area may open an enforcement clue."),
                                field="actor", code="forbidden")
    if valid_certificate(user, today) is None:
        return PermissionDenied(_("You hold no valid enforcement certificate today."), field="actor",
                                code="no_certificate")
    return None


def linked_clue(case: Case) -> EnforcementCase | None:
    return EnforcementCase.objects.filter(source_case=case).order_by("pk").first()


def clue_from_case(*, actor, case_id, power_item: str = "", now=None) -> EnforcementCase:
    """Open the enforcement clue of the 数字城管 case `case_id` (404 outside the actor's scope)."""
    with translation.override(settings.LANGUAGE_CODE):  # the title and evidence descriptions are stored
        return _clue_from_case(actor=actor, case_id=case_id, power_item=power_item, now=now or timezone.now())


@transaction.atomic
def _clue_from_case(*, actor, case_id, power_item: str, now) -> EnforcementCase:
    case = visible_cases(actor).select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), field="case")
    refusal = clue_refusal(actor, case, timezone.localtime(now).date())
    if refusal is not None:
        raise refusal
    existing = linked_clue(case)
    if existing is not None:
        raise Conflict(_("This case is enforcement clue %(number)s already.") % {"number": existing.clue_number},
                       field="case", code="already_opened")
    item = power_item_for(case.matter)
    code = item.code if item is not None else (power_item or "").strip()
    if not code:
        raise ValidationError(_("No power-list item fits this problem type: choose one."), field="power_item")
    matter = case.matter
    clue = case_register_clue(
        actor=actor, region=case.community, department=officer_department(actor, case.community),
        source="digital_case", title=matter.name, now=now, source_case=case, lng=case.lng, lat=case.lat,
        power_item=code, place=case.address[:200], facts=case.description,
        violation_date=timezone.localtime(case.reported_at).date(),
    )
    for photo in case.attachments.all():
        with photo.file.open("rb") as fh:
            upload = ContentFile(fh.read(), name=photo.original_name or photo.file.name.rsplit("/", 1)[-1])
        upload.content_type = photo.content_type
        evidence_add(
            actor=actor, case=clue, kind="electronic", now=now, file=upload, collected_at=photo.uploaded_at,
            description=_("Photo of case %(number)s (%(kind)s), %(time)s")
            % {"number": case.number, "kind": photo.get_kind_display(),
               "time": timezone.localtime(photo.uploaded_at).strftime("%Y-%m-%d %H:%M")},
        )
    return clue
