from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "balai.participation"
    label = "participation"
