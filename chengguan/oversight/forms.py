from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.org.models import Region

from .models import Conduct


class PortalComplaintForm(forms.Form):
    conduct = forms.ChoiceField(label=_("What is the complaint about?"), choices=Conduct.choices)
    district = forms.ModelChoiceField(label=_("District"), queryset=Region.objects.filter(level="district"),
                                      empty_label=None)
    place = forms.CharField(label=_("Where did it happen?"), max_length=200)
    occurred_on = forms.DateField(label=_("When did it happen?"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    officer_hint = forms.CharField(label=_("Who was it? (certificate or badge number, name, vehicle)"),
                                   max_length=100, required=False)
    text = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Your phone, for the reply"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
