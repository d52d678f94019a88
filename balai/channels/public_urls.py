"""Public pages of the SMS / WhatsApp channel (language-prefixed: /sms/ and /en/sms/)."""

from django.urls import path

from balai.channels import pages

app_name = "sms"
urlpatterns = [
    path("sms/", pages.sms_page, name="page"),
    path("sms/poster/", pages.sms_poster, name="poster"),
    path("sms/poster.pdf", pages.sms_poster_pdf, name="poster_pdf"),
]
