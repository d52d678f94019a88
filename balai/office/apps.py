from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "balai.office"
    label = "office"
