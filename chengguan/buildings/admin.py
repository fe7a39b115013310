from django.contrib import admin

from .models import BuildingEvent, DemolitionProject, IllegalBuilding, LedgerTarget


@admin.register(DemolitionProject)
class DemolitionProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "target_households", "target_area_m2", "starts_on", "due_on", "state"]
    list_filter = ["state"]
    search_fields = ["code", "name", "address"]


@admin.register(LedgerTarget)
class LedgerTargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "items", "area_m2"]


class EventInline(admin.TabularInline):
    model = BuildingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["act", "from_status", "to_status", "actor", "at", "note", "payload"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IllegalBuilding)
class IllegalBuildingAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (pages and API), which write the history."""

    list_display = ["number", "address", "area_m2", "category", "status", "discovered_on", "same_day"]
    list_filter = ["status", "category", "use", "source"]
    search_fields = ["number", "address"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
