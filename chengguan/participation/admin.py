from django.contrib import admin, messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import redirect

from chengguan.core.errors import DomainError

from .models import (
    Consultation,
    DutySlot,
    Opinion,
    Place,
    SupervisorComment,
    VolunteerPoints,
    VolunteerReport,
)


class DutySlotInline(admin.TabularInline):
    model = DutySlot
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Places are master data (admin); the roster is kept on the places page, where the overlap rule is checked."""

    list_display = ["name", "kind", "address", "department", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [DutySlotInline]

    def get_inline_instances(self, request, obj=None):
        return []  # duty goes through duty_assign (one place at a time per person)


@admin.register(VolunteerReport)
class VolunteerReportAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "case", "reported_at"]

    def has_add_permission(self, request):
        return False


@admin.register(VolunteerPoints)
class VolunteerPointsAdmin(admin.ModelAdmin):
    """Adding an entry grants (positive) or redeems (negative) points through the ledger service."""

    list_display = ["volunteer", "points", "reason", "at", "recorded_by"]
    fields = ["volunteer", "points", "reason"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .volunteers import points_adjust

        try:
            entry = points_adjust(actor=request.user, volunteer=obj.volunteer, points=obj.points, reason=obj.reason)
        except DomainError as exc:
            raise DjangoValidationError(exc.message) from exc
        obj.pk, obj.at, obj.recorded_by = entry.pk, entry.at, entry.recorded_by

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DjangoValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            return redirect(request.path)


@admin.register(SupervisorComment)
class SupervisorCommentAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "case", "at", "due", "status"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OpinionInline(admin.TabularInline):
    model = Opinion
    extra = 0
    can_delete = False
    readonly_fields = ["name", "text", "at", "adopted", "reply"]
    exclude = ["phone"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "status", "opens_at", "closes_at"]
    readonly_fields = ["status", "opens_at", "closes_at", "response", "responded_at", "created_by", "created_at"]
    inlines = [OpinionInline]

    def has_add_permission(self, request):
        return False
