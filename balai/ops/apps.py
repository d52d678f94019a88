from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations glue: the worker with its periodic jobs, translation compiling, demo set-up."""

    name = "balai.ops"
    label = "ops"
