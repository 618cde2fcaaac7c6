"""Open311 API key management under /opinions/keys/ (included by urls.py in the `opinions` namespace)."""

from django.urls import path

from . import views_keys

urlpatterns = [
    path("keys/", views_keys.key_list, name="open311_keys"),
    path("keys/new/", views_keys.key_create, name="open311_key_create"),
    path("keys/<int:key_id>/revoke/", views_keys.key_revoke, name="open311_key_revoke"),
]
