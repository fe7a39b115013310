"""Admin for the evaluation configuration (weights, ladders, grades, assessment items and settings) and a
read-only view of assessments and notices. A scheme's weights must add up to 100 %."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import ValidationError as DomainValidationError

from .indicators import indicator_choices
from .models import (
    AccountabilityAction,
    AssessmentItem,
    AssessmentRecord,
    AssessmentSettings,
    Grade,
    Ladder,
    LadderStep,
    RedLightNotice,
    Scheme,
    SchemeTerm,
)
from .scoring import validate_grades, validate_terms


class TermFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        terms = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            terms.append(
                {
                    "indicator": data.get("indicator"),
                    "weight": data.get("weight") or 0,
                    "scoring": data.get("scoring"),
                    "ladder": data.get("ladder"),
                }
            )
        try:
            validate_terms(self.instance.party, terms)
        except DomainValidationError as exc:
            raise ValidationError(exc.message) from exc


class TermForm(forms.ModelForm):
    indicator = forms.ChoiceField(choices=indicator_choices, label=_("indicator"))

    class Meta:
        model = SchemeTerm
        fields = ["position", "indicator", "weight", "scoring", "ladder"]


class TermInline(admin.TabularInline):
    model = SchemeTerm
    form = TermForm
    formset = TermFormSet
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["party", "name"]
    inlines = [TermInline]

    def get_readonly_fields(self, request, obj=None):
        return ["party"] if obj else []


class LadderStepInline(admin.TabularInline):
    model = LadderStep
    extra = 0


@admin.register(Ladder)
class LadderAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "direction", "per_unit_grid", "per_month", "per_shift", "floor_score"]
    inlines = [LadderStepInline]


class GradeForm(forms.ModelForm):
    class Meta:
        model = Grade
        fields = ["letter", "min_score"]

    def clean(self):
        data = super().clean()
        others = Grade.objects.exclude(pk=self.instance.pk) if self.instance.pk else Grade.objects.all()
        rows = [(g.letter, g.min_score) for g in others] + [(data.get("letter"), data.get("min_score"))]
        try:
            validate_grades(rows)
        except DomainValidationError as exc:
            raise ValidationError(exc.message) from exc
        return data


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    form = GradeForm
    list_display = ["letter", "min_score"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.min_score != 0


@admin.register(AssessmentSettings)
class AssessmentSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "base_score", "street_digital_weight", "department_digital_weight"]

    def has_add_permission(self, request):
        return not AssessmentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentItem)
class AssessmentItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "points", "applies_to", "is_active"]
    list_filter = ["category", "applies_to", "is_active"]
    search_fields = ["code", "name"]


class ReadOnly(admin.ModelAdmin):
    """Records and notices change only through their services (pages and API), never in admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRecord)
class AssessmentRecordAdmin(ReadOnly):
    list_display = ["occurred_on", "item", "street", "department", "points", "found_by", "status"]
    list_filter = ["status", "found_by", "item__category"]


@admin.register(AccountabilityAction)
class AccountabilityActionAdmin(ReadOnly):
    list_display = ["decided_on", "kind", "street", "department", "person"]


@admin.register(RedLightNotice)
class RedLightNoticeAdmin(ReadOnly):
    list_display = ["number", "level", "case", "department", "issued_at", "deadline", "status"]
    list_filter = ["level", "status"]
