from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "balai.transparency"
    label = "transparency"
