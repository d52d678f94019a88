from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations glue: the worker with its periodic jobs, metrics and logs, backups, translation
    compiling, demo set-up."""

    name = "balai.ops"
    label = "ops"

    def ready(self) -> None:
        from balai.ops import jobs

        jobs.connect()
