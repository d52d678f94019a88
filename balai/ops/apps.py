from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations glue: the worker with its periodic jobs, metrics and logs, backups, translation
    compiling, demo set-up, start-up checks."""

    name = "balai.ops"
    label = "ops"

    def ready(self) -> None:
        from balai.ops import (
            checks,  # noqa: F401 - registers the system checks
            jobs,
        )

        jobs.connect()

        from balai import pagecache

        pagecache.connect()  # the public pages' cache follows the models they show (ADR 0044)
