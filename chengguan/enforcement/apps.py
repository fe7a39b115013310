from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "chengguan.enforcement"
    label = "enforcement"
