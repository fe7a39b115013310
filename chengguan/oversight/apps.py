from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "chengguan.oversight"
    label = "oversight"
    verbose_name = _("Oversight of the force")

    def ready(self):
        from chengguan.enforcement.permissions import register_assistant_check

        from . import receivers  # noqa: F401  (file reviews and closed cases feed the five-in-one file)
        from .permits import assistant_permit_denial

        register_assistant_check(assistant_permit_denial)
