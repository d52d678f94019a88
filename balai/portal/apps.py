from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "balai.portal"
    label = "portal"
