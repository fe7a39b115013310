from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "chengguan.patrol"
    label = "patrol"
