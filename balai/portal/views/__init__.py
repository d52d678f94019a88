"""Views of the citizen portal, one module per area (flows have their own modules).

The names re-exported here are the ones `balai.portal.urls` has always used.
"""

from balai.portal.views.catalog import agency_detail, catalog, home, service_detail
from balai.portal.views.pages import accessibility, contact, display_settings, privacy

__all__ = [
    "accessibility",
    "agency_detail",
    "catalog",
    "contact",
    "display_settings",
    "home",
    "privacy",
    "service_detail",
]
