"""Open311 GeoReport v2 at /open311/v2/ (docs/open311.md). The format is the suffix: .json or .xml."""

from django.urls import re_path

from . import open311

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.services_list, name="services"),
    re_path(r"^services/(?P<service_code>[^/]+)" + FMT, open311.service_definition, name="service_definition"),
    re_path(r"^requests" + FMT, open311.requests_endpoint, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]+)" + FMT, open311.request_detail, name="request"),
    # Some clients use the singular form for one request.
    re_path(r"^request/(?P<request_id>[^/]+)" + FMT, open311.request_detail, name="request_singular"),
]
