"""Forms of the permit pages: one application form for the portal and the counter; the acts on an application."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.org.models import Region

from .models import ApplicantType, Kind, VendingZone


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("permit kind"), choices=Kind.choices)
    region = forms.ModelChoiceField(label=_("district or street"), queryset=Region.objects.none(), required=False)
    zone = forms.ModelChoiceField(label=_("vending zone (stall permits)"), queryset=VendingZone.objects.none(),
                                  required=False)
    stall_number = forms.CharField(label=_("stall number"), max_length=12, required=False)
    applicant_type = forms.ChoiceField(label=_("applicant type"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("applicant (name or business)"), max_length=100)
    applicant_id_number = forms.CharField(label=_("ID or credit code"), max_length=30, required=False)
    applicant_phone = forms.CharField(label=_("phone"), max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    address = forms.CharField(label=_("place"), max_length=200, required=False)
    lng = forms.FloatField(label=_("longitude"), required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("latitude"), required=False, widget=forms.HiddenInput)
    description = forms.CharField(label=_("what is applied for"), widget=forms.Textarea(attrs={"rows": 3}))
    size = forms.CharField(label=_("size (e.g. 6 m × 1.2 m)"), max_length=60, required=False)
    requested_from = forms.DateField(label=_("requested from"), widget=forms.DateInput(attrs={"type": "date"}))
    requested_to = forms.DateField(label=_("requested until"), widget=forms.DateInput(attrs={"type": "date"}))
    materials = forms.CharField(label=_("materials handed in (one per line)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(level__in=["district", "street"]).order_by("code")
        self.fields["zone"].queryset = VendingZone.objects.filter(is_active=True).order_by("code")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["materials"] = lines(data.get("materials", ""))
        return data


def lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class StatusForm(forms.Form):
    number = forms.CharField(label=_("application number"), max_length=24)
    phone = forms.CharField(label=_("phone given in the application"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("what was found"), choices=Kind.choices)
    region = forms.ModelChoiceField(label=_("district or street"), queryset=Region.objects.none())
    lng = forms.FloatField(label=_("longitude"))
    lat = forms.FloatField(label=_("latitude"))
    address = forms.CharField(label=_("place"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(level__in=["district", "street"]).order_by("code")
