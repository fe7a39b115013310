from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.catalog.models import MatterType
from chengguan.org.models import Department, User
from chengguan.org.scope import STAFF_ROLES


class MatterChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name  # the name a person knows, not the catalogue code


class VolunteerReportForm(forms.Form):
    matter = MatterChoice(label=_("what is the problem"), queryset=MatterType.objects.filter(
        is_active=True).order_by("name"))
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    lng = forms.FloatField(label=_("longitude"), widget=forms.HiddenInput)
    lat = forms.FloatField(label=_("latitude"), widget=forms.HiddenInput)
    crs = forms.ChoiceField(choices=[("wgs84", "wgs84"), ("gcj02", "gcj02")], initial="wgs84", widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class DutyForm(forms.Form):
    person = forms.ModelChoiceField(label=_("on duty"), queryset=User.objects.filter(
        role_assignments__role__in=STAFF_ROLES).distinct().order_by("username"))
    starts_at = forms.DateTimeField(label=_("duty from"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("duty until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("title of the draft"), max_length=200)
    summary = forms.CharField(label=_("explanatory note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    draft_text = forms.CharField(label=_("draft text"), widget=forms.Textarea(attrs={"rows": 8}))
    department = forms.ModelChoiceField(label=_("drafting unit"), queryset=Department.objects.filter(is_active=True))


class PublishForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("opinions until"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("your opinion"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)
    name = forms.CharField(label=_("your name (optional, shown masked)"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone (optional, never shown)"), max_length=20, required=False)
