"""URLs of the staff workspace under /kantor/. Every view carries a rule from balai/office/rules.py."""

from django.urls import path

from balai.office.views import auth, case, queue

app_name = "office"
urlpatterns = [
    # sign-in (office A)
    path("masuk/", auth.login_view, name="login"),
    path("masuk/kode/", auth.otp_view, name="otp"),
    path("masuk/daftar-kode/", auth.otp_enrol_view, name="otp_enrol"),
    path("keluar/", auth.logout_view, name="logout"),
    path("akun/kode-cadangan/", auth.backup_codes_view, name="backup_codes"),
    # queues and the case page (office A)
    path("", queue.queue_view, name="queue"),
    path("saya/", queue.my_queue_view, name="my_queue"),
    path("berkas/<str:code>/", case.case_view, name="case"),
    path("berkas/<str:code>/lampiran/<int:attachment_id>/", case.attachment_view, name="attachment"),
    # office B: counter, bulk actions, head of unit, inspectorate, agency administration
]
