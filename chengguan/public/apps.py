from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "chengguan.public"
    label = "public"
    verbose_name = _("Citizens and integrations")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the signal receivers
        from .bundle_links import register

        register()  # hotline work orders and Open311 submissions travel in the case exchange bundle
