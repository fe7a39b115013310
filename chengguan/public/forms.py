"""Forms of the citizen portal and the staff pages (input shape only; the services hold the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.cases.services.intake import DESCRIPTION_MAX_LENGTH
from chengguan.catalog.models import MatterType
from chengguan.core.coords import CRS_CHOICES

from .models import Satisfaction


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
        error_messages={"required": _("Put a pin on the map or use your location.")},
    )  # fmt: skip
    lat = forms.FloatField(
        label=_("Latitude"), min_value=-90, max_value=90, widget=forms.HiddenInput,
        error_messages={"required": _("Put a pin on the map or use your location.")},
    )  # fmt: skip
    crs = forms.ChoiceField(choices=[(c, c) for c in CRS_CHOICES], initial="gcj02", widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("What is the problem?"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(label=_("Where exactly (optional)"), max_length=200, required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=20,
        help_text=_("Needed to follow the case; shown to nobody but the staff who call you back."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )


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
