from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensingConfig(AppConfig):
    name = "chengguan.sensing"
    label = "sensing"
    verbose_name = _("Sensing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - connects the automatic check to the case events
