"""Forms for the patrol pages: they only parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AccountabilityRecord,
    AdPhone,
    AdSighting,
    FrontageAgreement,
    LeaveRequest,
    Measure,
    Obligation,
    OfficerFileEntry,
    TrainingRecord,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TrainingForm(forms.Form):
    subject = forms.CharField(label=_("subject"), max_length=120)
    category = forms.ChoiceField(label=_("category"), choices=TrainingRecord.Category.choices)
    started_on = forms.DateField(label=_("started on"), widget=DATE)
    hours = forms.DecimalField(label=_("hours"), min_value=0.5, max_digits=6, decimal_places=1)
    result = forms.ChoiceField(label=_("result"), choices=TrainingRecord.Result.choices)
    provider = forms.CharField(label=_("provider"), max_length=100, required=False)


class FileEntryForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=OfficerFileEntry.Category.choices)
    occurred_on = forms.DateField(label=_("date"), widget=DATE)
    title = forms.CharField(label=_("title"), max_length=150)
    score = forms.DecimalField(label=_("score"), required=False, max_digits=5, decimal_places=1)
    detail = forms.CharField(label=_("detail"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AccountabilityForm(forms.Form):
    decided_on = forms.DateField(label=_("decided on"), widget=DATE)
    kind = forms.ChoiceField(label=_("measure"), choices=AccountabilityRecord.Kind.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    authority = forms.CharField(label=_("decided by"), max_length=100, required=False)


class SwapForm(forms.Form):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    counterpart = forms.CharField(label=_("colleague's username"), max_length=150)
    reason = forms.CharField(label=_("reason"), max_length=200)


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("duty date"), widget=DATE)
    pattern = forms.ChoiceField(label=_("shift"))
    grid = forms.ChoiceField(label=_("responsibility grid"), required=False)
    squad = forms.ChoiceField(label=_("joint squad"), required=False)
    people = forms.CharField(
        label=_("people (usernames, separated by commas; empty: the squad's members)"),
        required=False,
        max_length=2000,
    )


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=LeaveRequest.Kind.choices)
    starts_at = forms.DateTimeField(label=_("start time"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("end time"), widget=DATETIME)
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)


class FollowUpForm(forms.Form):
    checked_on = forms.DateField(label=_("checked on"), widget=DATE)
    places_checked = forms.IntegerField(label=_("places checked"), min_value=1)
    relapses = forms.IntegerField(label=_("relapses found"), min_value=0, initial=0)
    matter = forms.ChoiceField(label=_("matter"), required=False)
    location = forms.CharField(label=_("location"), max_length=200, required=False)


class AdHocOperationForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=150)
    region = forms.ChoiceField(label=_("region"))
    area = forms.CharField(label=_("area"), max_length=300, required=False)
    campaign = forms.ChoiceField(label=_("campaign"), required=False)


class CompleteOperationForm(forms.Form):
    staff_count = forms.IntegerField(label=_("staff deployed"), min_value=0)
    problems_found = forms.IntegerField(label=_("problems found"), min_value=0, initial=0)
    cases_opened = forms.IntegerField(label=_("cases opened"), min_value=0, initial=0)
    penalties = forms.IntegerField(label=_("penalties"), min_value=0, initial=0)
    fines_yuan = forms.DecimalField(
        label=_("fines (yuan)"), min_value=0, initial=0, max_digits=12, decimal_places=2
    )
    items_seized = forms.IntegerField(label=_("items seized"), min_value=0, initial=0)
    summary = forms.CharField(label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ShopForm(forms.Form):
    name = forms.CharField(label=_("shop name"), max_length=100)
    operator_name = forms.CharField(label=_("shop operator"), max_length=50)
    address = forms.CharField(label=_("address"), max_length=200)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    business_type = forms.CharField(label=_("business type"), max_length=50, required=False)
    region = forms.ChoiceField(label=_("community"), required=False)
    lng = forms.FloatField(label=_("longitude"), required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("latitude"), required=False, widget=forms.HiddenInput)


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("agreement number"), max_length=40)
    scheme = forms.ChoiceField(label=_("scheme"), choices=FrontageAgreement.Scheme.choices)
    zone = forms.CharField(label=_("responsibility zone"), max_length=200)
    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("valid to"), widget=DATE)


class InspectionForm(forms.Form):
    obligations = forms.MultipleChoiceField(
        label=_("obligations not met"),
        choices=Obligation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("what was found"), max_length=300, required=False)
    matter = forms.ChoiceField(label=_("matter (opens a case)"), required=False)
    measure = forms.ChoiceField(
        label=_("measure"), required=False, choices=[("", _("as the 721 ladder says")), *Measure.choices]
    )


class SightingForm(forms.Form):
    number = forms.CharField(label=_("phone number"), max_length=30)
    region = forms.ChoiceField(label=_("community"))
    location = forms.CharField(label=_("location"), max_length=200, required=False)
    ad_kind = forms.ChoiceField(label=_("kind of ad"), choices=AdSighting.AdKind.choices)
    ads_count = forms.IntegerField(label=_("ads found"), min_value=1, initial=1)
    removed = forms.BooleanField(label=_("removed on the spot"), required=False)
    lng = forms.FloatField(label=_("longitude (WGS84)"), required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("latitude (WGS84)"), required=False, widget=forms.HiddenInput)
    open_case = forms.BooleanField(label=_("report as a case (needs my position)"), required=False)


class PhoneStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=AdPhone.Status.choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
