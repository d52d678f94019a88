"""URLs of the staff workspace under /kantor/. Every view carries a rule from balai/office/rules.py."""

from django.urls import path

from balai.office.views import (
    agency_admin,
    auth,
    bulk,
    case,
    counter,
    digest,
    head,
    inspectorate,
    ppid,
    queue,
)

app_name = "office"
urlpatterns = [
    # sign-in (office A)
    path("masuk/", auth.login_view, name="login"),
    path("masuk/kode/", auth.otp_view, name="otp"),
    path("masuk/daftar-kode/", auth.otp_enrol_view, name="otp_enrol"),
    path("keluar/", auth.logout_view, name="logout"),
    path("akun/kode-cadangan/", auth.backup_codes_view, name="backup_codes"),
    path("akun/ringkasan/", digest.digest_settings_view, name="digest_settings"),
    # queues and the case page (office A)
    path("", queue.queue_view, name="queue"),
    path("saya/", queue.my_queue_view, name="my_queue"),
    path("berkas/<str:code>/", case.case_view, name="case"),
    path("berkas/<str:code>/lampiran/<int:attachment_id>/", case.attachment_view, name="attachment"),
    # office B: counter, bulk actions, head of unit, inspectorate, agency administration
    path("loket/", counter.counter_view, name="counter"),
    path("loket/selesai/<str:code>/", counter.counter_done_view, name="counter_done"),
    path("loket/tanda-terima/<str:code>/", counter.counter_receipt_view, name="counter_receipt"),
    path("massal/", bulk.bulk_view, name="bulk"),
    path("kepala/", head.head_view, name="head"),
    path("inspektorat/", inspectorate.inspectorate_view, name="inspectorate"),
    path("instansi/", agency_admin.units_view, name="agency_admin"),
    path("instansi/anggota/", agency_admin.members_view, name="agency_members"),
    path("instansi/jawaban/", agency_admin.canned_view, name="agency_canned"),
    # PPID: register of public information, consequence tests (balai.ppid)
    path("ppid/", ppid.register_view, name="ppid"),
    path("ppid/usul/", ppid.propose_view, name="ppid_propose"),
    path("ppid/item/<int:pk>/", ppid.item_view, name="ppid_item"),
    path("ppid/uji/", ppid.tests_view, name="ppid_tests"),
    path("ppid/uji/<int:pk>.pdf", ppid.test_pdf_view, name="ppid_test_pdf"),
    path("ppid/arsip/", ppid.archive_view, name="ppid_archive"),
    path("ppid/arsip/<int:pk>/", ppid.archive_entry_view, name="ppid_archive_entry"),
    path("ppid/keberatan/", ppid.objections_view, name="ppid_objections"),
    path("ppid/keberatan/<int:pk>/", ppid.objection_view, name="ppid_objection"),
    path("ppid/laporan/", ppid.reports_view, name="ppid_reports"),
]
