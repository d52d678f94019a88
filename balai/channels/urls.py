"""Machine endpoints of the channels (not language-prefixed) and the development message page."""

from django.urls import path

from balai.channels import views

app_name = "channels"
urlpatterns = [
    path("kanal/sms/", views.sms_webhook, name="sms"),
    path("kanal/wa/", views.whatsapp_webhook, name="whatsapp"),
    path("kanal/email/", views.email_webhook, name="email"),
    path("kanal/sms/laporan-kirim/", views.sms_receipts, name="sms_receipts"),
    path("kanal/wa/laporan-kirim/", views.whatsapp_receipts, name="whatsapp_receipts"),
    path("dev/pesan/", views.dev_messages, name="dev_messages"),
    # The same page in English (LocaleMiddleware reads the /en/ prefix), so the language switch works.
    path("en/dev/pesan/", views.dev_messages, name="dev_messages_en"),
]
