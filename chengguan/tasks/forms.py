from django import forms
from django.utils.translation import gettext_lazy as _

from chengguan.org.models import Department, Region, User
from chengguan.org.scope import STAFF_ROLES

from .models import Meeting, Problem, Task


class DeadlineMixin(forms.Form):
    due = forms.DateField(label=_("deadline (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    working_days = forms.IntegerField(label=_("or within working days"), required=False, min_value=1,
                                      max_value=400)


class TaskForm(DeadlineMixin):
    field_order = ["title", "kind", "description", "owner_department", "owner_person", "leader", "due",
                   "working_days"]
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=[(k, v) for k, v in Task.Kind.choices if k != "decision"])
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_department = forms.ModelChoiceField(label=_("owner unit"), queryset=Department.objects.filter(
        is_active=True))
    owner_person = forms.ModelChoiceField(label=_("person responsible"), required=False,
                                          queryset=User.objects.filter(role_assignments__role__in=STAFF_ROLES)
                                          .distinct().order_by("username"))
    leader = forms.ModelChoiceField(label=_("leading leader"), required=False,
                                    queryset=User.objects.filter(role_assignments__role="leader").distinct())


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("progress made"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    milestone = forms.IntegerField(required=False, widget=forms.HiddenInput)
    closes = forms.BooleanField(label=_("this completes the task"), required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=150)
    due = forms.DateField(label=_("milestone due"), widget=forms.DateInput(attrs={"type": "date"}))


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=150)
    held_at = forms.DateTimeField(label=_("held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.filter(level__in=["city", "district"]))
    attendees = forms.CharField(label=_("attendees"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(DeadlineMixin):
    field_order = ["title", "owner_department", "owner_person", "due", "working_days"]
    title = forms.CharField(label=_("decision taken"), max_length=200)
    owner_department = forms.ModelChoiceField(label=_("owner unit"), queryset=Department.objects.filter(
        is_active=True))
    owner_person = forms.ModelChoiceField(label=_("person responsible"), required=False,
                                          queryset=User.objects.filter(role_assignments__role__in=STAFF_ROLES)
                                          .distinct().order_by("username"))


class ProblemForm(DeadlineMixin):
    field_order = ["title", "source", "description", "department", "case_number", "meeting", "task", "due",
                   "working_days"]
    title = forms.CharField(label=_("problem"), max_length=200)
    source = forms.ChoiceField(label=_("found by"), choices=Problem.Source.choices)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.ModelChoiceField(label=_("responsible unit"), queryset=Department.objects.filter(
        is_active=True))
    case_number = forms.CharField(label=_("case number"), required=False, max_length=32)
    meeting = forms.ModelChoiceField(label=_("meeting"), required=False, queryset=Meeting.objects.none())
    task = forms.ModelChoiceField(label=_("fixed by an existing task (else a new one is set)"), required=False,
                                  queryset=Task.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        from . import selectors

        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["meeting"].queryset = selectors.meetings(user).order_by("-held_at")
            self.fields["task"].queryset = selectors.tasks(user).filter(status=Task.Status.OPEN).order_by("number")
