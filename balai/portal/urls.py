"""Citizen portal URLs (Bahasa Indonesia paths; the same paths under /en/ in English)."""

from django.urls import path

from balai.portal import views
from balai.portal.views import (
    apply,
    archive,
    complain,
    confirmation,
    elsewhere,
    information,
    register,
    subscribe,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("layanan/", views.catalog, name="catalog"),
    path("layanan/luar/<slug:code>/ajukan/", elsewhere.external_apply, name="external_apply"),
    path("layanan/luar/permintaan/<str:reference>/", elsewhere.external_request, name="external_request"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("layanan/<slug:code>/ajukan/", apply.apply_page, name="apply"),
    path("layanan/<slug:code>/ajukan/<int:step>/", apply.apply_page, name="apply_step"),
    path("layanan/<slug:code>/ajukan/kontak/", apply.apply_contact, name="apply_contact"),
    path("layanan/<slug:code>/ajukan/kebutuhan/", apply.apply_needs, name="apply_needs"),
    path("layanan/<slug:code>/ajukan/periksa/", apply.apply_check, name="apply_check"),
    path("lapor/", complain.complain_about, name="complain"),
    path("lapor/lokasi/", complain.complain_place, name="complain_place"),
    path("lapor/berkas/", complain.complain_files, name="complain_files"),
    path("lapor/privasi/", complain.complain_privacy, name="complain_privacy"),
    path("lapor/kontak/", complain.complain_contact, name="complain_contact"),
    path("lapor/periksa/", complain.complain_check, name="complain_check"),
    path("informasi/", information.information_what, name="information"),
    path("informasi/bentuk/", information.information_format, name="information_format"),
    path("informasi/kontak/", information.information_contact, name="information_contact"),
    path("informasi/periksa/", information.information_check, name="information_check"),
    path("informasi/daftar/", register.register, name="register"),
    path("informasi/daftar/<int:pk>/", register.register_item, name="register_item"),
    path("informasi/daftar/<int:pk>.txt", register.register_item_text, name="register_item_text"),
    path("informasi/uji-konsekuensi/<int:pk>.pdf", register.test_decree, name="test_decree"),
    path("informasi/langganan/", subscribe.subscribe, name="subscribe"),
    path("informasi/langganan/konfirmasi/<str:token>/", subscribe.confirm, name="subscribe_confirm"),
    path("informasi/langganan/berhenti/<str:token>/", subscribe.stop, name="subscribe_stop"),
    path("informasi/arsip/", archive.archive, name="archive"),
    path("informasi/arsip/<int:pk>/", archive.archive_entry, name="archive_entry"),
    path("informasi/arsip/<int:pk>/berkas/<int:doc>/", archive.archive_document, name="archive_document"),
    path("terkirim/<str:code>/", confirmation.confirmation, name="confirmation"),
    path("lacak/<str:code>/tanda-terima.pdf", confirmation.receipt, name="receipt"),
    path("instansi/<slug:slug>/", views.agency_detail, name="agency"),
    path("tampilan/", views.display_settings, name="display"),
    path("privasi/", views.privacy, name="privacy"),
    path("aksesibilitas/", views.accessibility, name="accessibility"),
    path("kontak/", views.contact, name="contact"),
]

# Portal flows B: tracking, one-time codes, the optional account, responding, the survey, public reports.
from balai.portal.views import account, public_list, respond, survey, track  # noqa: E402

urlpatterns += [
    path("lacak/", track.track, name="track"),
    path("lacak/<str:code>/", track.track_case, name="track_case"),
    path("lacak/<str:code>/kode/", track.track_send_code, name="track_send_code"),
    path("lacak/<str:code>/verifikasi/", track.track_verify, name="track_verify"),
    path("lacak/<str:code>/berkas/<int:pk>/", track.track_attachment, name="track_attachment"),
    path("lacak/<str:code>/tanggapi/", respond.respond, name="respond"),
    path("lacak/<str:code>/tanggapi/<slug:action>/", respond.respond_action, name="respond_action"),
    path("lacak/<str:code>/dokumen/", respond.respond_documents, name="respond_documents"),
    path("lacak/<str:code>/survei/", survey.survey, name="survey"),
    path("akun/", account.account, name="account"),
    path("akun/masuk/", account.account_signin, name="account_signin"),
    path("akun/masuk/kode/", account.account_code, name="account_code"),
    path("akun/keluar/", account.account_signout, name="account_signout"),
    path("akun/profil/", account.account_profile, name="account_profile"),
    path("akun/data/", account.account_data, name="account_data"),
    path("akun/data/unduh/", account.account_download, name="account_download"),
    path("akun/data/permintaan/", account.account_request, name="account_request"),
    path("akun/kasus/tambah/", account.account_link, name="account_link"),
    path("laporan/", public_list.public_list, name="public_list"),
    path("laporan/<int:pk>/", public_list.public_case, name="public_case"),
]

# Community participation (docs/regulations.md §12): processes, proposals, the budget vote, consultations.
from balai.portal.views import consultation, musrenbang, participation  # noqa: E402

urlpatterns += [
    path("partisipasi/", participation.index, name="participation"),
    path("partisipasi/telepon/", participation.phone, name="participation_phone"),
    path("partisipasi/telepon/kode/", participation.phone_code, name="participation_code"),
    path("partisipasi/inklusi/", participation.inclusion, name="participation_inclusion"),
    path("partisipasi/<slug:slug>/", participation.process_page, name="participation_process"),
    path("partisipasi/<slug:slug>/usulan/", participation.proposals, name="participation_proposals"),
    path("partisipasi/<slug:slug>/usulan/baru/", participation.proposal_new, name="participation_proposal_new"),
    path("partisipasi/<slug:slug>/usulan/<str:code>/", participation.proposal_page,
         name="participation_proposal"),
    path("partisipasi/<slug:slug>/usulan/<str:code>/foto/", participation.proposal_photo,
         name="participation_photo"),
    path("partisipasi/<slug:slug>/usulan/<str:code>/dukung/", participation.proposal_support,
         name="participation_support"),
    path("partisipasi/<slug:slug>/pilih/", participation.vote, name="participation_vote"),
    path("partisipasi/<slug:slug>/hasil/", participation.results, name="participation_results"),
    path("partisipasi/<slug:slug>/rancangan/", consultation.draft_page, name="participation_draft"),
    path("partisipasi/<slug:slug>/rancangan/laporan/", consultation.report_page, name="participation_report"),
    path("partisipasi/<slug:slug>/rancangan/laporan.pdf", consultation.report_pdf, name="participation_report_pdf"),
    path("partisipasi/<slug:slug>/musrenbang/", musrenbang.forums, name="participation_musrenbang"),
    path("partisipasi/<slug:slug>/musrenbang/<int:pk>/", musrenbang.forum_page, name="participation_forum"),
    path("partisipasi/<slug:slug>/musrenbang/<int:pk>/berita-acara.pdf", musrenbang.minutes_pdf,
         name="participation_minutes"),
    path("partisipasi/<slug:slug>/musrenbang/<int:pk>/usulan.csv", musrenbang.agreed_csv,
         name="participation_forum_csv"),
]

# Diskominfo's public pages: the application registry and the status page (docs/regulations.md §13).
from balai.portal.views import ict  # noqa: E402

urlpatterns += [
    path("aplikasi/", ict.applications, name="applications"),
    path("aplikasi/<slug:slug>/", ict.application, name="application"),
    path("aplikasi/<slug:slug>/publiccode.yml", ict.publiccode_yml, name="publiccode"),
    path("status/", ict.status, name="status"),
]
