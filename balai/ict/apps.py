from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IctConfig(AppConfig):
    name = "balai.ict"
    verbose_name = _("ICT services and applications")
    default_auto_field = "django.db.models.BigAutoField"
