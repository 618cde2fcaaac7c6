"""The project's URLs plus one trivial view: the baseline every page is compared with.

The baseline goes through the same middleware (sessions, CSP, roles…) and does nothing else, so a
page's ratio to it is the cost of the page itself, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

PING_URL = "/__bench__/ping"


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(PING_URL.lstrip("/"), ping), *project_urlpatterns]
