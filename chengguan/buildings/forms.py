from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.org.models import Region

from .models import Category, DemolitionProject, Source, Use


class BuildingForm(forms.Form):
    region = forms.ModelChoiceField(label=_("district, street or community"), queryset=Region.objects.none())
    address = forms.CharField(label=_("address"), max_length=200)
    lng = forms.FloatField(label=_("longitude"))
    lat = forms.FloatField(label=_("latitude"))
    area_m2 = forms.DecimalField(label=_("area (m²)"), max_digits=10, decimal_places=2)
    floors = forms.IntegerField(label=_("floors"), initial=1)
    households = forms.IntegerField(label=_("households"), initial=1)
    use = forms.ChoiceField(label=_("use"), choices=Use.choices)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices, initial=Category.NEW)
    source = forms.ChoiceField(label=_("source"), choices=Source.choices)
    party_name = forms.CharField(label=_("builder or owner"), max_length=100, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    project = forms.ModelChoiceField(label=_("demolition project"), queryset=DemolitionProject.objects.none(),
                                     required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(level__in=["district", "street", "community"]).order_by(
            "code")
        self.fields["project"].queryset = DemolitionProject.objects.exclude(state="completed")
