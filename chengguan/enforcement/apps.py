from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EnforcementConfig(AppConfig):
    name = "chengguan.enforcement"
    label = "enforcement"
    verbose_name = pgettext_lazy("app name", "enforcement")  # the Django admin's section heading

    def ready(self):
        from django.db.models.signals import post_save

        from chengguan.core.calendar_service import arrangement_entered

        from .models import EnforcementCase
        from .provisional import mark_provisional, on_arrangement_entered

        post_save.connect(mark_provisional, sender=EnforcementCase, dispatch_uid="enforcement-provisional")
        arrangement_entered.connect(on_arrangement_entered, dispatch_uid="enforcement-recompute-deadlines")
