"""Open311 GeoReport v2 URLs, mounted at /open311/v2/ by balai.api.urls (namespace "open311").

Every resource ends in `.json` or `.xml` (the format), as in the specification."""

from django.urls import re_path

from balai.api.open311 import views

app_name = "open311"
F = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^discovery" + F, views.discovery, name="discovery"),
    re_path(r"^services" + F, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9_-]+)" + F, views.service_definition, name="service"),
    re_path(r"^requests" + F, views.requests_view, name="requests"),
    re_path(r"^requests/(?P<request_id>[A-Za-z0-9-]+)" + F, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[A-Za-z0-9_-]+)" + F, views.token_detail, name="token"),
]
