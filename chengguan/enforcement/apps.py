from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "chengguan.enforcement"
    label = "enforcement"

    def ready(self):
        from django.db.models.signals import post_save

        from chengguan.core.calendar_service import arrangement_entered

        from .models import EnforcementCase
        from .provisional import mark_provisional, on_arrangement_entered

        post_save.connect(mark_provisional, sender=EnforcementCase, dispatch_uid="enforcement-provisional")
        arrangement_entered.connect(on_arrangement_entered, dispatch_uid="enforcement-recompute-deadlines")
