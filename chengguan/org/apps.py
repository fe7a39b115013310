from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrgConfig(AppConfig):
    name = "chengguan.org"
    label = "org"
    verbose_name = pgettext_lazy("app name", "organisation")  # the Django admin's section heading

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ApiToken, Department, Region, RoleAssignment, User
        from .services import forget_tokens

        # the per-process token memo (org/services.py) holds tokens, their users, roles, regions and departments
        for model in (ApiToken, User, RoleAssignment, Region, Department):
            name = model.__name__
            post_save.connect(forget_tokens, sender=model, dispatch_uid=f"org-tokens-save-{name}")
            post_delete.connect(forget_tokens, sender=model, dispatch_uid=f"org-tokens-delete-{name}")
