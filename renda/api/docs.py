"""The Swagger UI page at /api/docs, served from the assets ninja ships, never from a CDN."""

from django.apps import apps
from django.http import Http404
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """ninja's Swagger page renders its local template (static ninja/swagger-ui-*.js|css) only when
    "ninja" is in INSTALLED_APPS, and otherwise silently switches to a CDN copy. Intranets have no
    CDN and the CSP forbids it, so without the local assets the page is off (404) instead."""

    def render_page(self, request, api, **kwargs):
        if not apps.is_installed("ninja"):
            raise Http404
        return super().render_page(request, api, **kwargs)
