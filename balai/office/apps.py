from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "balai.office"
    label = "office"
    verbose_name = _("Staff workspace")

    def ready(self) -> None:
        # Registers the workspace's permission actions (office.*) and declares every page's rule.
        from balai.office import rules  # noqa: F401
