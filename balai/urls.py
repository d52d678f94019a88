"""URL map. Citizen pages are in Bahasa Indonesia at the root, English under /en/.

Machine endpoints (health, API, Open311, gateway webhooks) are not language-prefixed.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from balai.health import healthz
from balai.ops.metrics_view import metrics_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),  # Prometheus; address- or token-restricted (ADR 0023)
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("balai.api.urls")),
    path("", include("balai.channels.urls")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("kantor/", include("balai.office.urls")),
    path("", include("balai.opendata.urls")),
    path("", include("balai.portal.urls")),
    path("", include("balai.channels.public_urls")),
    prefix_default_language=False,
)

handler400 = "balai.portal.errors.bad_request"
handler403 = "balai.portal.errors.permission_denied"
handler404 = "balai.portal.errors.page_not_found"
handler500 = "balai.portal.errors.server_error"
