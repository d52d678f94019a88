from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "balai.audit"
    label = "audit"
