from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "balai.api"
    label = "api"

    def ready(self) -> None:
        from balai.api import schema  # noqa: F401  (registers the OpenAPI security schemes)
