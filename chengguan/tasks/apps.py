from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "chengguan.tasks"
    label = "tasks"
    verbose_name = _("Task lists (三单制)")
    default_auto_field = "django.db.models.BigAutoField"
