"""Admin for the catalogue: types (incl. local extensions), filing conditions, time limits, routing, legacy codes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ComponentType, FilingCondition, LegacyCode, MatterType, RoutingRule, TimeLimit

ENTRY_FIELDS = ("code", "name", "major_code", "major_name", "is_extension")


class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "major_name", "is_extension", "is_active"]
    list_filter = ["is_extension", "is_active", "major_name"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # The national entries keep their code and name; a city may only deactivate them.
        if obj is not None and not obj.is_extension:
            return ENTRY_FIELDS
        return ()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_extension:
            return False
        return super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        return {"is_extension": True, **super().get_changeform_initial_data(request)}


@admin.register(ComponentType)
class ComponentTypeAdmin(CatalogueEntryAdmin):
    pass


class FilingConditionInline(admin.TabularInline):
    model = FilingCondition
    extra = 0
    fields = ["code", "text", "closing_text", "default_severity", "photo_required", "is_active"]


@admin.register(MatterType)
class MatterTypeAdmin(CatalogueEntryAdmin):
    autocomplete_fields = ["component_type"]
    inlines = [FilingConditionInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "component_type") if fields else fields


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    extra = 0
    fields = ["step", "severity", "area_class", "amount", "unit", "note"]


@admin.register(FilingCondition)
class FilingConditionAdmin(admin.ModelAdmin):
    list_display = ["code", "matter", "text", "closing_text", "default_severity", "is_active"]
    list_filter = ["default_severity", "is_active", "matter__major_name"]
    search_fields = ["code", "text", "matter__code", "matter__name"]
    autocomplete_fields = ["matter"]
    inlines = [TimeLimitInline]


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["step", "filing_condition", "severity", "area_class", "amount", "unit", "note"]
    list_editable = ["amount", "unit"]
    list_filter = ["step", "severity", "area_class", "unit"]
    search_fields = ["filing_condition__code", "filing_condition__text", "note"]
    autocomplete_fields = ["filing_condition"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["matter", "place", "department", "priority", "is_active"]
    list_filter = ["is_active", "department", "matter__major_name"]
    search_fields = ["matter__code", "matter__name", "department__name", "region__name", "unit_grid__code"]
    autocomplete_fields = ["matter", "region", "department"]
    raw_id_fields = ["unit_grid"]
    list_select_related = ["matter", "region", "unit_grid", "department"]

    @admin.display(description=_("applies to"))
    def place(self, obj):
        return obj.unit_grid or obj.region or _("everywhere")


@admin.register(LegacyCode)
class LegacyCodeAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "name", "major_name", "matter", "note"]
    list_filter = ["kind", ("matter", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name", "matter__code", "matter__name"]
    autocomplete_fields = ["matter"]
