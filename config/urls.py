from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from renda.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("renda.accounts.urls")),
    path("org/", include("renda.org.urls")),
    path("deputies/roster/", include("renda.deputies.urls_roster")),
    path("deputies/", include("renda.deputies.urls")),
    path("calendar/", include("renda.core.workdays.urls")),
    path("inbox/", include("renda.core.notify.urls")),
    path("files/", include("renda.core.urls")),
    path("opinions/", include("renda.opinions.urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("meetings/", include("renda.meetings.urls")),
    path("ballots/", include("renda.ballots.urls")),
    path("open311/v2/", include("renda.opinions.urls_open311")),
    path("", include("renda.opinions.urls_public")),
    path("", include("renda.portal.urls")),
]
if getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
