"""See renda/suggestions/urls.py: the statistics page, its exports, the units' open lists and the Word documents."""

from django.urls import path

from . import views_stats as v

urlpatterns: list = [
    path("stats/", v.stats_page, name="stats"),
    path("stats/export/", v.stats_export, name="stats_export"),
    path("stats/units/", v.units_index, name="stats_units"),
    path("stats/units/<int:unit_id>/", v.unit_open, name="stats_unit"),
    path("stats/units/<int:unit_id>/export/", v.unit_open_export, name="stats_unit_export"),
    path("report/<int:year>/", v.annual_report, name="annual_report"),
    path("parts/<int:pk>/letter/", v.assignment_letter, name="assignment_letter"),
    path("<int:pk>/reply-form/", v.reply_form, name="reply_form"),
]
