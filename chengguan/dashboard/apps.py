from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "chengguan.dashboard"
    label = "dashboard"
