"""The Excel roster, included by the lead under /deputies/roster/ with the namespace "roster"."""

from django.urls import path

from . import roster_views as views

app_name = "roster"
urlpatterns = [
    path("import/", views.roster_import, name="import"),
    path("import/confirm/", views.roster_import_confirm, name="import_confirm"),
    path("export/", views.roster_export, name="export"),
    path("template/", views.roster_template, name="template"),
]
