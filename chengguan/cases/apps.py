from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chengguan.cases"
    label = "cases"
