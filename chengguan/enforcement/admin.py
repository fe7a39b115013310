"""Admin for the enforcement master data. Cases change only through the services (read-only here); the audit
chain is read-only; document templates may be uploaded (a .docx that opens, hashed on save)."""

import hashlib

from django import forms
from django.contrib import admin
from django.utils import timezone

from chengguan.core.errors import DomainError

from .models import (
    AuditRecord,
    CaseBriefing,
    CaseDocument,
    CaseEvent,
    DiscretionBand,
    DiscretionBenchmark,
    DiscretionFactor,
    DocumentTemplate,
    EnforcementBody,
    EnforcementCase,
    PowerItem,
    PowerTransfer,
    ProcuratorateRecord,
)
from .services.documents import validate_template


class TransferInline(admin.TabularInline):
    model = PowerTransfer
    extra = 0


class FactorInline(admin.TabularInline):
    model = DiscretionFactor
    extra = 0


@admin.register(PowerItem)
class PowerItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "power_type", "level", "law", "article", "limitation_years", "is_public")
    list_filter = ("power_type", "level", "domain", "is_public", "first_violation_exempt")
    search_fields = ("code", "name", "legal_basis", "law")
    inlines = [TransferInline, FactorInline]


class BandInline(admin.TabularInline):
    model = DiscretionBand
    extra = 0


@admin.register(DiscretionBenchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ("item", "party_type", "basis", "statutory_min", "statutory_max", "first_violation_exempt")
    list_filter = ("basis", "party_type")
    search_fields = ("item__code", "item__name")
    autocomplete_fields = ("item",)
    inlines = [BandInline]


@admin.register(DiscretionFactor)
class FactorAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "kind", "item", "mandatory", "shift")
    list_filter = ("kind", "mandatory")


@admin.register(EnforcementBody)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "department", "hearing_threshold_person", "hearing_threshold_organisation")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ("kind", "file", "is_active", "note")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = upload.read()
        upload.seek(0)
        try:
            validate_template(data)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        self.instance.sha256 = hashlib.sha256(data).hexdigest()
        return upload


@admin.register(DocumentTemplate)
class TemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ("kind", "uploaded_at", "uploaded_by", "is_active", "note")
    list_filter = ("kind", "is_active")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by, obj.uploaded_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnforcementCase)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("clue_number", "number", "title", "state", "procedure", "party_name", "registered_at")
    list_filter = ("state", "procedure", "source", "resolution")
    search_fields = ("clue_number", "number", "title", "party_name")


@admin.register(CaseEvent)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("case", "act", "from_state", "to_state", "actor", "at", "late", "audit_seq")
    list_filter = ("act", "late")


@admin.register(CaseDocument)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "number", "created_at", "sha256")
    list_filter = ("kind",)


@admin.register(AuditRecord)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "subject_type", "subject_id", "act", "actor_name", "hash")
    list_filter = ("subject_type", "act")
    search_fields = ("subject_id", "hash")


@admin.register(ProcuratorateRecord)
class ProcuratorateRecordAdmin(admin.ModelAdmin):
    list_display = ("document_number", "kind", "procuratorate", "dated", "referral")
    list_filter = ("kind",)
    readonly_fields = ("referral", "recorded_at", "recorded_by")


@admin.register(CaseBriefing)
class CaseBriefingAdmin(admin.ModelAdmin):
    list_display = ("number", "case", "police_department", "court", "sent_at", "acknowledged_at")
    readonly_fields = ("case", "number", "sent_at", "sent_by", "acknowledged_at", "acknowledged_by")
