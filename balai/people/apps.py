from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "balai.people"
    label = "people"
