"""Open311 GeoReport v2 URLs, mounted at /open311/v2/ by balai.api.urls (stub until the Open311 helper fills it)."""

app_name = "open311"
urlpatterns: list = []
