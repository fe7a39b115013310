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

        from django.db.models.signals import post_delete, post_save

        from .models import Open311Key
        from .services.open311 import forget_keys

        post_save.connect(forget_keys, sender=Open311Key, dispatch_uid="public-open311-keys-save")
        post_delete.connect(forget_keys, sender=Open311Key, dispatch_uid="public-open311-keys-delete")
