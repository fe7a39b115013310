from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EnforcementConfig(AppConfig):
    name = "chengguan.enforcement"
    label = "enforcement"
    verbose_name = pgettext_lazy("app name", "enforcement")  # the Django admin's section heading
