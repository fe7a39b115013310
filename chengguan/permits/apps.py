from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "chengguan.permits"
    label = "permits"
    verbose_name = _("Permits")
    default_auto_field = "django.db.models.BigAutoField"
