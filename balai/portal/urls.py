"""Citizen portal URLs (Bahasa Indonesia paths; the same paths under /en/ in English)."""

from django.urls import path

from balai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/", views.catalog, name="catalog"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("instansi/<slug:slug>/", views.agency_detail, name="agency"),
    path("tampilan/", views.display_settings, name="display"),
    path("privasi/", views.privacy, name="privacy"),
    path("aksesibilitas/", views.accessibility, name="accessibility"),
    path("kontak/", views.contact, name="contact"),
]
