"""API URLs, included at the root (not language-prefixed): /api/v1/, /api/schema/, /api/docs/, /open311/v2/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from balai.api.views import cases, catalog, staff, stats
from balai.api.views.docs import docs_csp, not_found

v1 = [
    path("services/", catalog.ServiceList.as_view(), name="service-list"),
    path("services/<str:code>/", catalog.ServiceDetail.as_view(), name="service-detail"),
    path("complaint-categories/", catalog.ComplaintCategoryList.as_view(), name="category-list"),
    path("agencies/", catalog.AgencyList.as_view(), name="agency-list"),
    path("regions/", catalog.RegionList.as_view(), name="region-list"),
    path("cases/", cases.CaseSubmit.as_view(), name="case-submit"),
    path("cases/<str:code>/", cases.CaseStatus.as_view(), name="case-status"),
    path("submissions/<str:token>/", cases.SubmissionStatus.as_view(), name="submission-status"),
    path("staff/queue/", staff.StaffQueue.as_view(), name="staff-queue"),
    path("staff/cases/<str:code>/", staff.StaffCase.as_view(), name="staff-case"),
    path("staff/cases/<str:code>/transitions/", staff.StaffTransition.as_view(), name="staff-transition"),
    path("statistics/", stats.Statistics.as_view(), name="statistics"),
    # Anything else under /api/ answers in the API's error format, not with the portal's HTML page.
    re_path(r"^.*$", not_found),
]

urlpatterns = [
    path("api/v1/", include((v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("open311/v2/", include("balai.api.open311.urls")),
    re_path(r"^api/.*$", not_found),
]
