"""Admin for the public app. Logs (reveals, deliveries, work orders, submissions) are read-only; keys are made
with `chengguan open311 key create`; points are granted or redeemed through the ledger service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import DomainError

from .models import (
    HotlineCategory,
    HotlineSystem,
    HotlineWorkOrder,
    Open311Key,
    Open311Submission,
    PersonalDataReveal,
    PointsEntry,
    Satisfaction,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscriber,
)
from .services.citizen import points_adjust
from .services.webhooks import delivery_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "prefix", "key_hash", "created_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # `chengguan open311 key create NAME` prints the key once

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d key(s) revoked.") % {"count": count})


@admin.register(Open311Submission)
class Open311SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("token", "status", "matter", "key", "received_at", "case")
    list_filter = ("status", "key")
    search_fields = ("token", "case__number", "address_string")


class HotlineCategoryInline(admin.TabularInline):
    model = HotlineCategory
    extra = 1
    autocomplete_fields = ()


class WebhookSubscriberInline(admin.TabularInline):
    model = WebhookSubscriber
    extra = 0
    fields = ("name", "url", "secret", "is_active", "created_at")


@admin.register(HotlineSystem)
class HotlineSystemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "user", "default_matter", "is_active")
    inlines = [HotlineCategoryInline, WebhookSubscriberInline]
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False  # `chengguan hotline add` creates the system user and its token


@admin.register(HotlineWorkOrder)
class HotlineWorkOrderAdmin(ReadOnlyAdmin):
    list_display = (
        "external_id",
        "system",
        "case",
        "category",
        "category_mapped",
        "received_at",
        "resend_count",
    )
    list_filter = ("system", "category_mapped")
    search_fields = ("external_id", "case__number")


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "at", "status_code", "error", "duration_ms")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("pk", "subscriber", "case", "status", "attempts", "next_attempt_at", "last_status_code")
    list_filter = ("status", "subscriber")
    search_fields = ("case__number",)
    inlines = [WebhookAttemptInline]
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # needed to run the retry action; fields stay read-only

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("Send the selected failed deliveries again"))
    def retry(self, request, queryset):
        count = 0
        for delivery in queryset.filter(status=WebhookDelivery.Status.FAILED):
            delivery_retry(delivery=delivery)
            count += 1
        self.message_user(request, _("%(count)d deliver(ies) queued again.") % {"count": count})


@admin.register(Satisfaction)
class SatisfactionAdmin(ReadOnlyAdmin):
    list_display = ("case", "score", "channel", "rated_at")
    list_filter = ("score", "channel")
    search_fields = ("case__number",)


@admin.register(PointsEntry)
class PointsEntryAdmin(admin.ModelAdmin):
    """Adding an entry grants (positive) or redeems (negative) points through the ledger service."""

    list_display = ("phone", "points", "reason", "case", "at", "recorded_by")
    search_fields = ("phone", "case__number")
    fields = ("phone", "points", "reason")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            entry = points_adjust(actor=request.user, phone=obj.phone, points=obj.points, reason=obj.reason)
        except DomainError as exc:
            raise DjangoValidationError(exc.message) from exc
        obj.pk = entry.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except DjangoValidationError as exc:
            self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.path)


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "actor_role", "case", "subject", "reason", "ip")
    list_filter = ("actor_role",)
    search_fields = ("case__number", "actor__username", "reason")
