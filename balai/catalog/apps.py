from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "balai.catalog"
    label = "catalog"
