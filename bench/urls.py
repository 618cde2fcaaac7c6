"""The project's URLs plus one trivial view: the baseline every page is compared with.

The baseline goes through the same middleware (sessions, CSP, roles…) and does nothing else, so a
page's ratio to it is the cost of the page itself, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls import urlpatterns as project_urlpatterns

PING_URL = "/__bench__/ping"
INSERT_URL = "/__bench__/insert"


def ping(request):
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def insert(request):
    """The submission's baseline: one POST, one row inserted (an Event pointing at no object), nothing else."""
    from django.contrib.contenttypes.models import ContentType

    from renda.core.models import Event

    Event.objects.create(content_type=ContentType.objects.get_for_model(Event), object_id=0,
                         action="bench_insert", note=request.POST.get("n", "")[:20])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(PING_URL.lstrip("/"), ping), path(INSERT_URL.lstrip("/"), insert), *project_urlpatterns]
