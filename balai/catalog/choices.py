"""Choices of the catalog: channels and accommodations (also read by the cases and the statistics)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Channels through which a case can reach Balai (and a service can be offered)."""

    WEB = "web", _("Web")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    COUNTER = "counter", _("Counter")
    API = "api", _("API")


class Accommodation(models.TextChoices):
    """Accommodations a citizen may need (UU 8/2016; UU 25/2009 art. 29)."""

    SIGN_LANGUAGE = "sign_language", _("Sign-language interpreter")
    WHEELCHAIR = "wheelchair", _("Wheelchair access")
    HOME_VISIT = "home_visit", _("Home visit")
    READING_HELP = "reading_help", _("Help with reading and writing")
    LARGE_PRINT = "large_print", _("Large print")
    BRAILLE = "braille", _("Braille")
    AUDIO = "audio", _("Audio format")
    REGIONAL_LANGUAGE = "regional_language", _("Regional-language interpreter")
