"""API URLs, included at the root (not language-prefixed): /api/v1/, /api/schema/, /api/docs/, /open311/v2/."""

from django.urls import include, path

urlpatterns: list = [
    path("open311/v2/", include("balai.api.open311.urls")),
]
