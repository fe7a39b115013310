"""Composition templates, joint squads and their members."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import Department, Region, User

from ..access import MANAGERS, ROSTER_MANAGERS, require
from ..models import Body, CompositionTemplate, JointSquad, SquadMember, StaffProfile, TemplateRequirement
from ._base import log, require_choice, require_text


@transaction.atomic
def template_save(*, actor: User, code: str, name: str, requirements: dict[str, int], description: str = ""):
    """Create or replace a composition template, e.g. {"police": 1, "auxiliary_police": 2, "officer": 2,
    "assistant": 4} for Haikou's joint patrol squads."""
    require(actor, MANAGERS)
    code = require_text(code, "code", max_length=32)
    name = require_text(name, "name", max_length=100)
    cleaned = {}
    for body, count in requirements.items():
        require_choice(body, Body, "requirements")
        if not isinstance(count, int) or count < 0 or count > 99:
            raise ValidationError(_("A required count is a whole number from 0 to 99."), field="requirements")
        if count:
            cleaned[body] = count
    if not cleaned:
        raise ValidationError(_("A template requires at least one person."), field="requirements")
    template, created = CompositionTemplate.objects.select_for_update().get_or_create(
        code=code, defaults={"name": name, "description": description}
    )
    if not created:
        template.name, template.description = name, description
        template.save(update_fields=["name", "description"])
        template.requirements.all().delete()
    TemplateRequirement.objects.bulk_create(
        TemplateRequirement(template=template, body=body, min_count=count) for body, count in cleaned.items()
    )
    log(actor, "template.save", template, summary=name, requirements=cleaned)
    return template


@transaction.atomic
def squad_create(
    *,
    actor: User,
    code: str,
    name: str,
    region: Region,
    department: Department | None = None,
    template: CompositionTemplate | None = None,
    grids: list[ResponsibilityGrid] = (),
) -> JointSquad:
    require(actor, MANAGERS, region)
    code = require_text(code, "code", max_length=32)
    if JointSquad.objects.filter(code=code).exists():
        raise ValidationError(_("This code is already used."), field="code")
    for grid in grids:
        if not grid.region.path.startswith(region.path):
            raise ValidationError(_("A responsibility grid lies outside the squad's region."), field="grids")
    squad = JointSquad.objects.create(
        code=code,
        name=require_text(name, "name", max_length=100),
        region=region,
        department=department,
        template=template,
    )
    squad.grids.set(grids)
    log(actor, "squad.create", squad, region=region, summary=squad.name)
    return squad


def default_body(user: User) -> str:
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(_("This person has no staff file; create it first."), field="user")
    return profile.body


@transaction.atomic
def squad_member_add(
    *,
    actor: User,
    squad: JointSquad,
    user: User,
    joined_on: date,
    body: str | None = None,
    organisation: Department | None = None,
    is_leader: bool = False,
) -> SquadMember:
    require(actor, MANAGERS | ROSTER_MANAGERS, squad.region)
    body = body or default_body(user)
    require_choice(body, Body, "body")
    if is_leader and body == Body.ASSISTANT:
        raise ValidationError(_("An assistant cannot lead a squad."), field="is_leader")
    JointSquad.objects.select_for_update().get(pk=squad.pk)
    if squad.members.filter(user=user, left_on__isnull=True).exists():
        raise Conflict(_("This person is already in the squad."), field="user")
    member = SquadMember.objects.create(
        squad=squad, user=user, body=body, organisation=organisation, is_leader=is_leader, joined_on=joined_on
    )
    log(actor, "squad.member_add", squad, region=squad.region, summary=str(user), user=user.pk, body=body)
    return member


@transaction.atomic
def squad_member_remove(*, actor: User, member: SquadMember, left_on: date) -> SquadMember:
    require(actor, MANAGERS | ROSTER_MANAGERS, member.squad.region)
    member = SquadMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise Conflict(_("This person already left the squad."), field="member")
    if left_on < member.joined_on:
        raise ValidationError(_("The leaving date is before the joining date."), field="left_on")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    log(actor, "squad.member_remove", member.squad, region=member.squad.region, summary=str(member.user))
    return member
