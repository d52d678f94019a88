from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "balai.cases"
    label = "cases"
