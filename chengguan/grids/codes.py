"""Identifier rules: unit grid codes (15 digits) and component ids (17 digits), see docs/grids.md."""

from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError


def validate_unit_grid_code(code: str, community) -> None:
    """A 15-digit code = the community's 12-digit code + a 3-digit sequence from 001."""
    if not (isinstance(code, str) and len(code) == 15 and code.isdigit()):
        raise ValidationError(
            _("A unit grid code is 15 digits: 6 region + 3 street + 3 community + 3 sequence."), field="code"
        )
    if community.level != "community":
        raise ValidationError(_("A unit grid lies in a community (社区/村)."), field="community")
    if code[:12] != community.code:
        raise ValidationError(
            _("The first 12 digits of the code (%(prefix)s) must be the community's code %(community)s.")
            % {"prefix": code[:12], "community": community.code},
            field="code",
        )
    if code[12:] == "000":
        raise ValidationError(_("The sequence (last 3 digits) starts at 001."), field="code")


def validate_component_code(code: str, *, adcode: str, type_code: str) -> None:
    """A 17-digit id = the district's 6-digit adcode + the 5-digit type code + a 6-digit sequence."""
    if not (isinstance(code, str) and len(code) == 17 and code.isdigit()):
        raise ValidationError(_("A component id is 17 digits: 6 region + 5 type + 6 sequence."), field="code")
    if code[:6] != adcode:
        raise ValidationError(
            _("The first 6 digits (%(prefix)s) must be the adcode %(adcode)s of the district it stands in.")
            % {"prefix": code[:6], "adcode": adcode},
            field="code",
        )
    if code[6:11] != type_code:
        raise ValidationError(
            _("Digits 7–11 of the id (%(part)s) must be the type code %(type)s.")
            % {"part": code[6:11], "type": type_code},
            field="code",
        )
    if code[11:] == "000000":
        raise ValidationError(_("The sequence (last 6 digits) starts at 000001."), field="code")
