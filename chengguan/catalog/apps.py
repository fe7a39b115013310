from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "chengguan.catalog"
    label = "catalog"
    verbose_name = _("catalogue and rules")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import FilingCondition, MatterType
        from .services import forget_matters

        post_save.connect(forget_matters, sender=MatterType, dispatch_uid="catalog-matters-save")
        post_delete.connect(forget_matters, sender=MatterType, dispatch_uid="catalog-matters-delete")
        post_save.connect(forget_matters, sender=FilingCondition, dispatch_uid="catalog-conditions-save")
        post_delete.connect(forget_matters, sender=FilingCondition, dispatch_uid="catalog-conditions-delete")
