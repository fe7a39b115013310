from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrgConfig(AppConfig):
    name = "chengguan.org"
    label = "org"
    verbose_name = pgettext_lazy("app name", "organisation")  # the Django admin's section heading
