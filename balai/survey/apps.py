from django.apps import AppConfig


class SurveyConfig(AppConfig):
    name = "balai.survey"
    label = "survey"
