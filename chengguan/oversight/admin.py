from django.contrib import admin

from .models import AssistantPermit, Complaint, ComplaintEvent


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    readonly_fields = ("act", "at", "actor", "note", "late")
    can_delete = False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("number", "received_at", "channel", "conduct", "officer", "state", "substantiated", "reply_due")
    list_filter = ("state", "channel", "conduct", "substantiated")
    search_fields = ("number", "officer_hint", "text")
    readonly_fields = ("number", "received_at", "received_by", "assign_due", "reply_due", "accountability")
    raw_id_fields = ("officer", "investigator", "enforcement_case")
    inlines = [ComplaintEventInline]


@admin.register(AssistantPermit)
class AssistantPermitAdmin(admin.ModelAdmin):
    list_display = ("number", "user", "region", "valid_from", "valid_to", "revoked_at")
    search_fields = ("number", "user__username", "user__full_name")
    list_filter = ("region",)
    readonly_fields = ("number", "issued_at", "issued_by")

    def has_add_permission(self, request):
        return False  # issued through the permits page, which numbers them
