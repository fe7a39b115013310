"""Forms of the citizen portal and the staff pages (input shape only; the services hold the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.cases.services.intake import DESCRIPTION_MAX_LENGTH
from chengguan.catalog.models import MatterType
from chengguan.core.coords import CRS_CHOICES
from chengguan.org.models import Region

from .models import Satisfaction


class CommunityField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        street = obj.parent
        district = street.parent if street else None
        return " · ".join(r.name for r in (district, street, obj) if r is not None)


class ReportForm(forms.Form):
    matter = forms.ModelChoiceField(
        label=_("Problem type"),
        queryset=MatterType.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
        error_messages={
            "required": _("Choose the type of problem."),
            "invalid_choice": _("Choose the type of problem."),
        },
    )
    lng = forms.FloatField(
        label=_("Longitude"), min_value=-180, max_value=180, widget=forms.HiddenInput,
        required=False,
    )  # fmt: skip
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.HiddenInput, required=False,
    )  # fmt: skip
    crs = forms.ChoiceField(choices=[(c, c) for c in CRS_CHOICES], initial="gcj02", widget=forms.HiddenInput)
    # Without a map or location (keyboard only, location refused): the community, and the address in words.
    community = CommunityField(
        label=_("Or choose the community"),
        queryset=Region.objects.filter(level="community").select_related("parent__parent").order_by("path"),
        required=False,
        empty_label=_("— choose the community —"),
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    address = forms.CharField(label=_("Where exactly (optional)"), max_length=200, required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=20,
        help_text=_("Needed to follow the case; shown to nobody but the staff who call you back."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("lng") is not None and data.get("lat") is not None:
            return data
        community = data.get("community")
        point = community_point(community) if community else None
        if point is None:
            self.add_error(
                "lng",
                _("Put a pin on the map, use your location, or choose the community and say where in it.")
                if not community
                else _("This community has no map outline yet; put a pin on the map instead."),
            )
            return data
        if not (data.get("address") or "").strip():
            self.add_error("address", _("Say where in the community (street, house number, landmark)."))
        data["lng"], data["lat"], data["crs"] = point[0], point[1], "gcj02"
        return data


def community_point(community) -> tuple[float, float] | None:
    """A point inside the community (its outline, else its unit grids), in the storage system (GCJ-02)."""
    from shapely.ops import unary_union

    from chengguan.grids.geometry import to_shape
    from chengguan.grids.models import UnitGrid

    if community.boundary:
        shape = to_shape(community.boundary)
    else:
        shapes = [
            to_shape(g)
            for g in UnitGrid.objects.filter(community=community).values_list("geometry", flat=True)
        ]
        if not shapes:
            return None
        shape = unary_union(shapes)
    point = shape.representative_point()
    return round(point.x, 7), round(point.y, 7)


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=32)
    phone = forms.CharField(
        label=_("The phone you reported with"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Satisfaction.Score.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the reporter's details?"), max_length=200)


class PlaceForm(forms.Form):
    lng = forms.FloatField(label=_("Longitude (GCJ-02)"), min_value=-180, max_value=180)
    lat = forms.FloatField(label=_("Latitude (GCJ-02)"), min_value=-90, max_value=90)


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("The phone you reported with"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


class CodeForm(forms.Form):
    phone = forms.CharField(max_length=20, widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("The code we sent you by SMS"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


class ReopenForm(forms.Form):
    description = forms.CharField(
        label=_("What is still wrong?"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
