from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "chengguan.grids"
    label = "grids"
    verbose_name = _("Grids and components")

    def ready(self):
        from . import signals

        signals.connect()
