"""Forms of the assessment pages; choices are limited to what the user may see."""

from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chengguan.org.models import Department, Region

from .models import AccountabilityKind, AssessmentItem, FoundBy


def streets_for(viewer):
    qs = Region.objects.filter(level=Region.Level.STREET).order_by("code")
    if viewer.everything:
        return qs
    parts = [Q(path__startswith=p) for p in viewer.regions]
    return qs.filter(reduce(or_, parts)) if parts else qs.none()


class RecordForm(forms.Form):
    item = forms.ModelChoiceField(AssessmentItem.objects.filter(is_active=True), label=_("item"))
    street = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("street"))
    department = forms.ModelChoiceField(
        Department.objects.filter(is_active=True), required=False, label=_("department")
    )
    occurred_on = forms.DateField(label=_("occurred on"), widget=forms.DateInput(attrs={"type": "date"}))
    found_by = forms.ChoiceField(choices=FoundBy.choices, label=_("found by"))
    quantity = forms.IntegerField(min_value=1, initial=1, label=_("occurrences"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("description"))
    case_number = forms.CharField(required=False, max_length=32, label=_("case number (optional)"))
    evidence = forms.FileField(required=False, label=_("evidence (photo, PDF, video)"))

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets_for(viewer)
        self.fields["occurred_on"].initial = timezone.localdate()


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=500, label=_("reason for cancelling"))


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(choices=AccountabilityKind.choices, label=pgettext_lazy("accountability", "action"))
    street = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("street"))
    department = forms.ModelChoiceField(
        Department.objects.filter(is_active=True), required=False, label=_("department")
    )
    person = forms.CharField(required=False, max_length=100, label=_("person held accountable"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("reason"))
    decided_on = forms.DateField(label=_("decided on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets_for(viewer)
        self.fields["decided_on"].initial = timezone.localdate()
