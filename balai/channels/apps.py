from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "balai.channels"
    label = "channels"
