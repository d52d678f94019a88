from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "balai.notify"
    label = "notify"
