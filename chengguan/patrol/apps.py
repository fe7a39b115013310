from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PatrolConfig(AppConfig):
    name = "chengguan.patrol"
    label = "patrol"
    verbose_name = pgettext_lazy("app name", "patrol")  # the Django admin's section heading
