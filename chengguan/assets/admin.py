from django.contrib import admin

from .models import Asset, BodyCameraFile, VehiclePoint


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name", "plate", "device_id", "squad", "keeper", "status"]
    list_filter = ["kind", "status", "squad"]
    search_fields = ["code", "name", "plate", "device_id"]
    autocomplete_fields = ["keeper"]


@admin.register(VehiclePoint)
class VehiclePointAdmin(admin.ModelAdmin):
    """Read-only: positions come from the vehicles' terminals."""

    list_display = ["vehicle", "recorded_at", "lng", "lat", "speed_kmh", "unit_grid"]
    list_filter = ["vehicle"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BodyCameraFile)
class BodyCameraFileAdmin(admin.ModelAdmin):
    """Read-only: attached through the enforcement case page (the evidence is hash-chained)."""

    list_display = ["case", "device_id", "sha256", "recorded_at", "attached_by"]
    search_fields = ["device_id", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
