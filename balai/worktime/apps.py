from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "balai.worktime"
    label = "worktime"
