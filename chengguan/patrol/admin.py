"""Admin for the master data of the patrol app: norms, templates, squads, shift patterns, campaigns, shops.

Day-to-day changes (rosters, requests, inspections, operations) go through the pages and services; the admin
shows them read-mostly for support.
"""

from django.contrib import admin

from .models import (
    AccountabilityRecord,
    ActivityLog,
    AdPhone,
    AdSighting,
    Campaign,
    CampaignTarget,
    CompositionTemplate,
    DutyShift,
    FollowUpCheck,
    FrontageAgreement,
    JointOperation,
    JointSquad,
    LeaveRequest,
    Norm,
    OfficerFileEntry,
    OperationResult,
    RotationRecord,
    ShiftPattern,
    Shop,
    ShopInspection,
    ShopViolation,
    SquadMember,
    StaffProfile,
    SwapRequest,
    TemplateRequirement,
    TrainingRecord,
)


@admin.register(Norm)
class NormAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "officers_per_10k",
        "assistant_ratio_rule",
        "assistants_per_officer",
        "patrol_day_start",
        "patrol_day_end",
    ]
    raw_id_fields = ["region"]


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    fk_name = "user"
    extra = 0
    exclude = ["recorded_by"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "body",
        "staff_number",
        "region",
        "department",
        "employment",
        "employer",
        "left_on",
    ]
    list_filter = ["body", "employment", "establishment"]
    search_fields = ["user__username", "user__full_name", "staff_number", "employer"]
    raw_id_fields = ["user", "region", "department"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "category", "started_on", "hours", "result"]
    list_filter = ["category", "result"]
    search_fields = ["user__username", "user__full_name", "subject"]
    raw_id_fields = ["user", "recorded_by"]


@admin.register(RotationRecord)
class RotationRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "effective_on", "from_department", "to_department", "to_region"]
    raw_id_fields = ["user", "from_department", "to_department", "from_region", "to_region", "recorded_by"]


@admin.register(AccountabilityRecord)
class AccountabilityRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "decided_on", "kind", "authority"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "recorded_by"]


@admin.register(OfficerFileEntry)
class OfficerFileEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "occurred_on", "title", "score"]
    list_filter = ["category"]
    raw_id_fields = ["user", "recorded_by"]


class RequirementInline(admin.TabularInline):
    model = TemplateRequirement
    extra = 1


@admin.register(CompositionTemplate)
class CompositionTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    inlines = [RequirementInline]


class MemberInline(admin.TabularInline):
    model = SquadMember
    extra = 0
    raw_id_fields = ["user", "organisation"]


@admin.register(JointSquad)
class JointSquadAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "template", "is_active"]
    list_filter = ["is_active", "template"]
    search_fields = ["code", "name"]
    raw_id_fields = ["region", "department"]
    filter_horizontal = ["grids"]
    inlines = [MemberInline]


@admin.register(ShiftPattern)
class ShiftPatternAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start", "end", "is_active"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    """Read-only: shifts are made on the roster page so that every rule (double-booking, leave, training,
    template) is checked."""

    list_display = ["day", "pattern", "grid", "squad", "leader"]
    list_filter = ["pattern"]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in DutyShift._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SwapRequest)
class SwapRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "counterpart", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in SwapRequest._meta.fields]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "starts_at", "ends_at", "status", "decided_by"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in LeaveRequest._meta.fields]


class TargetInline(admin.TabularInline):
    model = CampaignTarget
    extra = 1
    raw_id_fields = ["matter"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "status", "region", "starts_on", "ends_on"]
    list_filter = ["status", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["region", "lead_department", "created_by"]
    exclude = ["unit_grids", "cases"]
    inlines = [TargetInline]


class ResultInline(admin.TabularInline):
    model = OperationResult
    extra = 0
    raw_id_fields = ["matter"]


@admin.register(JointOperation)
class JointOperationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "status", "region", "campaign", "started_at"]
    list_filter = ["status", "kind"]
    search_fields = ["code", "title"]
    raw_id_fields = ["region", "campaign", "lead_department", "created_by"]
    exclude = ["unit_grids", "cases"]
    filter_horizontal = ["bodies", "squads"]
    inlines = [ResultInline]


@admin.register(FollowUpCheck)
class FollowUpCheckAdmin(admin.ModelAdmin):
    list_display = ["campaign", "checked_on", "checker", "places_checked", "relapses"]
    raw_id_fields = ["campaign", "checker", "matter", "unit_grid"]


class AgreementInline(admin.TabularInline):
    model = FrontageAgreement
    extra = 0
    raw_id_fields = ["signed_by"]


@admin.register(Shop)
class ShopAdmin(admin.ModelAdmin):
    list_display = ["name", "operator_name", "address", "region", "unit_grid", "status"]
    list_filter = ["status"]
    search_fields = ["name", "operator_name", "address", "credit_code"]
    raw_id_fields = ["region", "unit_grid", "registered_by"]
    inlines = [AgreementInline]


@admin.register(ShopInspection)
class ShopInspectionAdmin(admin.ModelAdmin):
    list_display = ["shop", "inspected_at", "inspector", "passed"]
    list_filter = ["passed"]
    raw_id_fields = ["shop", "agreement", "inspector"]


@admin.register(ShopViolation)
class ShopViolationAdmin(admin.ModelAdmin):
    list_display = ["shop", "obligation", "measure", "status", "created_at"]
    list_filter = ["measure", "status", "obligation"]
    raw_id_fields = ["shop", "inspection", "matter", "case"]


class SightingInline(admin.TabularInline):
    model = AdSighting
    extra = 0
    raw_id_fields = ["reported_by", "region", "unit_grid", "case"]


@admin.register(AdPhone)
class AdPhoneAdmin(admin.ModelAdmin):
    list_display = ["number", "status", "sightings_count", "first_seen_at", "last_seen_at"]
    list_filter = ["status"]
    search_fields = ["number"]
    inlines = [SightingInline]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target", "target_id", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "action"]
    readonly_fields = [f.name for f in ActivityLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
