from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import DomainError

from . import services
from .geocoder import OutsideCity, locate
from .geometry import area_m2, parse_area_geometry, to_geojson
from .models import Component, GridEvent, ResponsibilityGrid, UnitGrid


class UnitGridForm(forms.ModelForm):
    class Meta:
        model = UnitGrid
        fields = ["code", "community", "geometry", "land_use", "management_level", "valid_from", "valid_to"]

    def clean_geometry(self):
        try:
            self._shape = parse_area_geometry(self.cleaned_data["geometry"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        return to_geojson(self._shape)


@admin.register(UnitGrid)
class UnitGridAdmin(admin.ModelAdmin):
    form = UnitGridForm
    list_display = ["code", "community", "area_m2", "land_use", "management_level", "valid_from", "valid_to"]
    list_filter = ["management_level", "land_use"]
    search_fields = ["code", "community__name"]
    raw_id_fields = ["community"]
    readonly_fields = ["area_m2"]

    def save_model(self, request, obj, form, change):
        obj.area_m2 = round(area_m2(form._shape), 1)
        super().save_model(request, obj, form, change)
        services.record(
            actor=request.user,
            action=GridEvent.Action.UPDATED if change else GridEvent.Action.CREATED,
            obj=obj,
            detail={"via": "admin", "changed": form.changed_data},
        )

    def delete_model(self, request, obj):
        services.record(actor=request.user, action=GridEvent.Action.DELETED, obj=obj, detail={"via": "admin"})
        super().delete_model(request, obj)


@admin.register(ResponsibilityGrid)
class ResponsibilityGridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "squad", "grid_count"]
    search_fields = ["code", "name", "region__name"]
    raw_id_fields = ["region", "squad", "unit_grids"]
    autocomplete_fields = ["supervisors"]

    @admin.display(description=_("unit grids"))
    def grid_count(self, obj):
        return obj.unit_grids.count()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record(
            actor=request.user,
            action=GridEvent.Action.UPDATED if change else GridEvent.Action.CREATED,
            obj=form.instance,
            detail={"via": "admin", "changed": form.changed_data},
        )


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        fields = [
            "code",
            "type",
            "lng",
            "lat",
            "status",
            "owner",
            "maintainer",
            "surveyed_on",
            "changed_on",
            "note",
        ]

    def clean(self):
        data = super().clean()
        if data.get("lng") is not None and data.get("lat") is not None:
            try:
                found = locate(data["lng"], data["lat"])
            except OutsideCity as exc:
                raise forms.ValidationError({"lng": exc.message}) from exc
            except DomainError as exc:
                raise forms.ValidationError({exc.field or "lng": exc.message}) from exc
            self.instance.unit_grid_id = found.unit_grid_id
        return data


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    form = ComponentForm
    list_display = ["code", "type", "status", "unit_grid", "owner", "maintainer", "changed_on"]
    list_filter = ["status", "type__major_name"]
    search_fields = ["code", "type__name", "unit_grid__code"]
    raw_id_fields = ["type", "owner", "maintainer"]
    readonly_fields = ["unit_grid"]
    actions = ["mark_damaged", "mark_intact"]

    def _change_status(self, request, queryset, status):
        changed = 0
        for component in queryset:
            try:
                services.component_change_status(actor=request.user, component=component, status=status)
                changed += 1
            except DomainError as exc:
                self.message_user(request, f"{component.code}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(n)d components changed.") % {"n": changed}, messages.SUCCESS)

    @admin.action(description=_("Mark selected components as damaged"))
    def mark_damaged(self, request, queryset):
        self._change_status(request, queryset, Component.Status.DAMAGED)

    @admin.action(description=_("Mark selected components as intact (repaired)"))
    def mark_intact(self, request, queryset):
        self._change_status(request, queryset, Component.Status.INTACT)


@admin.register(GridEvent)
class GridEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_code"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_code"]
    readonly_fields = ["at", "actor", "action", "object_type", "object_code", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
