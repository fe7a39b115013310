from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "chengguan.cases"
    label = "cases"
    verbose_name = _("cases")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from chengguan.catalog.models import FilingCondition, TimeLimit
        from chengguan.core.calendar_service import arrangement_entered, arrangement_missing

        from .models import Case
        from .provisional import mark_provisional, on_arrangement_entered, on_arrangement_missing
        from .services.engine import forget_time_limits

        pre_save.connect(mark_provisional, sender=Case, dispatch_uid="cases-deadline-provisional")
        arrangement_entered.connect(on_arrangement_entered, dispatch_uid="cases-recompute-deadlines")
        arrangement_missing.connect(on_arrangement_missing, dispatch_uid="cases-calendar-reminder")

        for model in (TimeLimit, FilingCondition):
            post_save.connect(
                forget_time_limits, sender=model, dispatch_uid=f"cases-limits-{model.__name__}-save"
            )
            post_delete.connect(
                forget_time_limits, sender=model, dispatch_uid=f"cases-limits-{model.__name__}-del"
            )
