"""The `django.contrib.admin` app with Balai's admin site as the default `admin.site` (balai/admin_site.py).

Kept apart from the site itself: this module is imported while apps load, before models may be.
"""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class BalaiAdminConfig(AdminConfig):
    default_site = "balai.admin_site.BalaiAdminSite"

    def ready(self) -> None:
        super().ready()  # autodiscovers every app's admin.py
        from django.contrib import admin

        from balai.admin_site import lock_down

        lock_down(admin.site)
