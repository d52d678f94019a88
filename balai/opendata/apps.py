from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "balai.opendata"
    label = "opendata"
