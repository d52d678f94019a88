"""Public performance pages (/kinerja/) and open data (/data/); language-prefixed (English under /en/)."""

from django.urls import path, re_path

from balai.opendata import data, kinerja, ppid_report

app_name = "opendata"
urlpatterns = [
    path("kinerja/", kinerja.overview, name="overview"),
    path("kinerja/instansi/<slug:slug>/", kinerja.agency, name="agency"),
    path("kinerja/layanan/<slug:code>/", kinerja.service, name="service"),
    path("kinerja/peringkat/", kinerja.ranking, name="ranking"),
    path("data/", data.index, name="data"),
    path("data/catalog.jsonld", data.catalog, name="catalog"),
    path("data/audit-head.json", data.audit_head, name="audit_head"),
    re_path(r"^data/(?P<slug>[a-z0-9-]+)\.(?P<fmt>csv|json)$", data.download, name="download"),
    path("data/<slug:slug>/", data.dataset_page, name="dataset"),
    path("informasi/laporan-tahunan/<int:year>/", ppid_report.report_page, name="ppid_report"),
    path("informasi/laporan-tahunan/<int:year>.pdf", ppid_report.report_pdf, name="ppid_report_pdf"),
    path("informasi/laporan-tahunan/<int:year>.csv", ppid_report.report_csv, name="ppid_report_csv"),
]
