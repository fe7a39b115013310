from django.contrib import admin

from .models import Application, ApplicationEvent, Finding, VendingZone


@admin.register(VendingZone)
class VendingZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "capacity", "opens_at", "closes_at", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["code", "name", "address"]


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["act", "from_status", "to_status", "actor", "at", "deadline", "note", "payload"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (the pages and the API)."""

    list_display = ["number", "kind", "status", "applicant_name", "permit_number", "valid_to", "decision_due"]
    list_filter = ["kind", "status", "channel"]
    search_fields = ["number", "permit_number", "applicant_name", "address"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["found_at", "kind", "address", "permit", "clue"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False
