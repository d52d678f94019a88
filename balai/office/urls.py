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
    ict,
    inspectorate,
    participation,
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
    path("berkas/<str:code>/publik/", case.public_version_view, name="case_public"),
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
    # community participation (docs/regulations.md §12)
    path("partisipasi/", participation.index_view, name="participation"),
    path("partisipasi/baru/", participation.process_new_view, name="participation_new"),
    path("partisipasi/<slug:slug>/ubah/", participation.process_edit_view, name="participation_edit"),
    path("partisipasi/<slug:slug>/", participation.process_view, name="participation_process"),
    path("partisipasi/<slug:slug>/kertas/", participation.paper_view, name="participation_paper"),
    path("partisipasi/<slug:slug>/moderasi/", participation.moderation_view, name="participation_moderation"),
    path("partisipasi/<slug:slug>/forum/<int:pk>/", participation.forum_view, name="participation_forum"),
    # PPID: register of public information, consequence tests (balai.ppid)
    path("ppid/", ppid.register_view, name="ppid"),
    path("ppid/usul/", ppid.propose_view, name="ppid_propose"),
    path("ppid/item/<int:pk>/", ppid.item_view, name="ppid_item"),
    path("ppid/uji/", ppid.tests_view, name="ppid_tests"),
    path("ppid/uji/<int:pk>.pdf", ppid.test_pdf_view, name="ppid_test_pdf"),
    path("ppid/arsip/", ppid.archive_view, name="ppid_archive"),
    path("ppid/arsip/<int:pk>/", ppid.archive_entry_view, name="ppid_archive_entry"),
    path("ppid/arsip/<int:pk>/berkas/<int:doc>/", ppid.archive_redact_view, name="ppid_archive_redact"),
    path("ppid/arsip/<int:pk>/berkas/<int:doc>/halaman-<int:page>.png", ppid.archive_page_view,
         name="ppid_archive_page"),
    path("ppid/keberatan/", ppid.objections_view, name="ppid_objections"),
    path("ppid/keberatan/<int:pk>/", ppid.objection_view, name="ppid_objection"),
    path("ppid/laporan/", ppid.reports_view, name="ppid_reports"),
    # Diskominfo's ICT desk for every agency, and the application registry (docs/regulations.md §13)
    path("tik/", ict.desk_view, name="ict_desk"),
    path("tik/status/", ict.notices_view, name="ict_notices"),
    path("tik/layanan/<slug:code>/", ict.desk_service_view, name="ict_service"),
    path("tik/permintaan/<str:code>/", ict.desk_request_view, name="ict_request"),
    path("aplikasi/", ict.applications_view, name="applications"),
    path("aplikasi/baru/", ict.application_new_view, name="application_new"),
    path("aplikasi/kembar/", ict.clusters_view, name="application_clusters"),
    path("aplikasi/<slug:slug>/", ict.application_view, name="application"),
    path("aplikasi/<slug:slug>/ubah/", ict.application_edit_view, name="application_edit"),
]
