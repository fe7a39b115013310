from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chengguan.core"
    label = "core"
