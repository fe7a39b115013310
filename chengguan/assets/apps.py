from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "chengguan.assets"
    label = "assets"
    verbose_name = _("Vehicles and equipment")
    default_auto_field = "django.db.models.BigAutoField"
