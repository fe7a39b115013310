from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "chengguan.cases"
    label = "cases"
    verbose_name = _("cases")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from chengguan.catalog.models import FilingCondition, TimeLimit

        from .services.engine import forget_time_limits

        for model in (TimeLimit, FilingCondition):
            post_save.connect(
                forget_time_limits, sender=model, dispatch_uid=f"cases-limits-{model.__name__}-save"
            )
            post_delete.connect(
                forget_time_limits, sender=model, dispatch_uid=f"cases-limits-{model.__name__}-del"
            )
