from django.contrib import admin

from .models import (
    Alarm,
    AlarmRule,
    Algorithm,
    AnalysisRequest,
    AutoCheck,
    Camera,
    Sensor,
    SensorType,
    Vendor,
)


class AlgorithmInline(admin.TabularInline):
    model = Algorithm
    extra = 0


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "callback_url", "is_active"]
    inlines = [AlgorithmInline]


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    list_display = ["device_id", "name", "community", "owner", "is_online", "last_seen_at"]
    list_filter = ["is_online", "is_active"]
    search_fields = ["device_id", "name"]
    readonly_fields = ["unit_grid", "community", "is_online", "last_seen_at"]


@admin.register(SensorType)
class SensorTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "normal_min", "normal_max", "alarm_low", "alarm_high", "hysteresis",
                    "debounce", "offline_after_minutes", "matter", "opens_case"]


@admin.register(Sensor)
class SensorAdmin(admin.ModelAdmin):
    list_display = ["device_id", "name", "type", "vendor", "community", "is_online", "in_alarm", "last_value", "battery",
                    "last_seen_at"]
    list_filter = ["type", "vendor", "is_online", "in_alarm"]
    search_fields = ["device_id", "name"]
    readonly_fields = ["unit_grid", "community", "is_online", "in_alarm", "last_value", "battery", "last_seen_at"]


@admin.register(AlarmRule)
class AlarmRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "matter", "region", "start_hour", "end_hour", "auto_file_confidence",
                    "review_confidence", "suppress_minutes", "suppress_metres", "check_window_minutes", "is_active"]


@admin.register(Alarm)
class AlarmAdmin(admin.ModelAdmin):
    """Read-only: alarms change state only through the services (review, automatic check)."""

    list_display = ["pk", "kind", "event", "status", "camera", "sensor", "matter", "confidence", "occurred_at", "case"]
    list_filter = ["kind", "status", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AutoCheck)
class AutoCheckAdmin(admin.ModelAdmin):
    list_display = ["case", "status", "opened_at", "due_at", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnalysisRequest)
class AnalysisRequestAdmin(admin.ModelAdmin):
    """Visible, not edited: the job sends and retries them."""

    list_display = ["pk", "vendor", "auto_check", "status", "attempts", "next_try_at", "sent_at", "last_error"]
    list_filter = ["status", "vendor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
