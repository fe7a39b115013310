from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "chengguan.public"
    label = "public"
