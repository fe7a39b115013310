from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "chengguan.catalog"
    label = "catalog"
