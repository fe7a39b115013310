from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chengguan.org"
    label = "org"
