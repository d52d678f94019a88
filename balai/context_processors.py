from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"DEMO_MODE": settings.DEMO_MODE, "SITE_URL": settings.SITE_URL,
            "SMS_NUMBER": getattr(settings, "BALAI_SMS_NUMBER", ""),
            "WHATSAPP_NUMBER": getattr(settings, "BALAI_WHATSAPP_NUMBER", "")}
