from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuildingsConfig(AppConfig):
    name = "chengguan.buildings"
    label = "buildings"
    verbose_name = _("Illegal buildings")
    default_auto_field = "django.db.models.BigAutoField"
