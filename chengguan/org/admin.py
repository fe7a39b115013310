from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Department, LoginEvent, OfficerCertificate, Region, RoleAssignment, User
from .services import forget_tokens


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    exclude = ["boundary"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region"]
    filter_horizontal = ["regions_served"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    raw_id_fields = ["region", "department"]


class CertificateInline(admin.TabularInline):
    model = OfficerCertificate
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "phone", "is_active", "locked_until"]
    search_fields = ["username", "full_name", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Chengguan"), {"fields": ["full_name", "phone", "locked_until"]}),
    )
    inlines = [RoleAssignmentInline, CertificateInline]
    actions = ["unlock"]

    @admin.action(description=_("Unlock selected accounts"))
    def unlock(self, request, queryset):
        from .throttle import clear_account

        for username in queryset.values_list("username", flat=True):
            clear_account(username)
        queryset.update(locked_until=None, failed_login_count=0)
        forget_tokens()  # an update sends no signal: the token memo must not keep the lock


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created with `chengguan token create`, which shows the secret once

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        from .services import token_revoke

        for token in queryset:
            token_revoke(token=token)


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "outcome", "ip"]
    list_filter = ["outcome"]
    search_fields = ["username", "ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
